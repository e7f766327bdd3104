import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// End-to-end: the built `mlrun` on fixture projects, judged by exit code, console and reports.
@Suite struct CLITests {
    let fixtures = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")
    var configs: URL { fixtures.appendingPathComponent("configs") }

    func json(_ url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    /// Validates a JSON report with `scripts/validate_report.py` (JSON Schema via the
    /// `jsonschema` package, plus sorting and count rules). Without `jsonschema` the check is
    /// skipped, unless `MLRUN_REQUIRE_PYTEST` is set (as in CI), when that is a failure.
    func expectValidReport(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let python = try #require(findOnPath("python3"))
        let probe = try await runProcess(python, args: ["-c", "import jsonschema"], cwd: repositoryRoot)
        if probe.exitCode != 0 {
            if ProcessInfo.processInfo.environment["MLRUN_REQUIRE_PYTEST"] != nil {
                Issue.record("python3 cannot import jsonschema, needed to validate reports", sourceLocation: sourceLocation)
            }
            return
        }
        let result = try await runProcess(python, args: ["scripts/validate_report.py", url.path], cwd: repositoryRoot)
        #expect(result.exitCode == 0, "report does not validate: \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
    }

    func outcomes(_ report: [String: Any]) -> [String: String] {
        var map: [String: String] = [:]
        for test in report["tests"] as? [[String: Any]] ?? [] {
            map[test["id"] as! String] = test["outcome"] as? String
        }
        return map
    }

    // MARK: exit codes (SPEC §3)

    @Test func passingRunExitsZero() async throws {
        let result = try await runMLRun(args: ["-c", "good.toml"], cwd: configs)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("1 passed in"))
        #expect(result.stdout.contains("collected 1 test · selected 1 · deselected 0"))
    }

    @Test func badMarkerExpressionIsAUsageErrorWithItsColumn() async throws {
        let result = try await runMLRun(args: ["-c", "good.toml", "-m", "slow and (gpu or"], cwd: configs)
        #expect(result.exitCode == 4)
        #expect(
            result.stderr.contains(
                "wrong expression passed to '-m': slow and (gpu or: at column 17: expected not OR left parenthesis OR identifier; got end of input"),
            "\(result)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func keywordExpressionsRejectCallParameters() async throws {
        let result = try await runMLRun(args: ["-c", "good.toml", "-k", "only(a=1)"], cwd: configs)
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("keyword expressions do not support call parameters"))
    }

    @Test func unknownFlagIsAUsageError() async throws {
        let result = try await runMLRun(args: ["--no-such-flag"], cwd: configs)
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("Unknown option '--no-such-flag'"), "\(result)")
    }

    @Test func invalidConfigNamesFileLineAndColumn() async throws {
        let unknown = try await runMLRun(args: ["-c", "unknown_key.toml"], cwd: configs)
        #expect(unknown.exitCode == 4)
        #expect(unknown.stderr.contains("unknown_key.toml:7:1: unknown key 'colour' in [[command]] #1"), "\(unknown)")
        let syntax = try await runMLRun(args: ["-c", "bad_toml.toml"], cwd: configs)
        #expect(syntax.exitCode == 4)
        #expect(syntax.stderr.contains("bad_toml.toml:2:11: invalid TOML"), "\(syntax)")
        let missing = try await runMLRun(args: ["-c", "nope.toml"], cwd: configs)
        #expect(missing.exitCode == 4)
        #expect(missing.stderr == "mlrun: error: nope.toml: config file not found\n", "\(missing)")
    }

    @Test func undeclaredMarkersUnderStrictMarkers() async throws {
        let inConfig = try await runMLRun(args: ["-c", "undeclared_marker.toml"], cwd: configs)
        #expect(inConfig.exitCode == 4)
        #expect(inConfig.stderr.contains("undeclared_marker.toml:7:12: marker 'nightly' is not declared"), "\(inConfig)")
        let inExpression = try await runMLRun(args: ["-c", "good.toml", "-m", "nightly or slow"], cwd: configs)
        #expect(inExpression.exitCode == 4)
        #expect(inExpression.stderr.contains("'nightly' in -m is not a known marker"), "\(inExpression)")
        // Without strict markers an unknown name in -m simply matches nothing.
        let lenient = try await runMLRun(args: ["-c", "failing_discovery.toml", "-m", "nightly", "x"], cwd: configs)
        #expect(lenient.exitCode == 5, "\(lenient)")
    }

    @Test func nothingSelectedExitsFive() async throws {
        let result = try await runMLRun(args: ["-c", "good.toml", "-m", "not slow"], cwd: configs)
        #expect(result.exitCode == 5, "\(result)")
        #expect(result.stdout.contains("1 deselected"))
    }

    @Test func failedDiscoveryIsAnErrorOfThatSuite() async throws {
        let report = try makeTemporaryDirectory().appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["-c", "failing_discovery.toml", "--json", report.path], cwd: configs)
        #expect(result.exitCode == 1, "\(result)")
        let outcomes = outcomes(try json(report))
        #expect(outcomes == ["broken::(discovery)": "error", "x::only": "passed"])
        #expect(result.stdout.contains("ImportError: no module named torch"))
    }

    @Test func markersAndHelpExitZero() async throws {
        let markers = try await runMLRun(args: ["--markers", "-c", "../../../../runner.toml"], cwd: configs)
        #expect(markers.exitCode == 0)
        #expect(markers.stdout.contains("@slow: takes long"))
        #expect(markers.stdout.contains("@dataset: uses a named reference data set"))
        let help = try await runMLRun(args: ["--help"], cwd: configs)
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("--strict-markers"))
    }

    @Test func exitFirstSkipsTheRestAndDurationsListsTheSlowest() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(
            args: ["-x", "--durations", "2", "--json", report.path, "bad::a_pass", "bad::b_fail", "bad::l_last"],
            cwd: fixtures.appendingPathComponent("misbehaving"))
        #expect(result.exitCode == 1, "\(result)")
        let tests = (try json(report)["tests"] as! [[String: Any]])
        let last = try #require(tests.first { $0["id"] as? String == "bad::l_last" })
        #expect(last["outcome"] as? String == "skipped")
        #expect(last["message"] as? String == "not run: stopped after the first failure (-x)")
        #expect(result.stdout.contains("slowest 2 durations"))
        #expect(result.stdout.contains("1 passed, 1 failed, 1 skipped, 9 deselected in"))
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() async throws {
        let plain = try await runMLRun(args: ["-c", "good.toml"], cwd: configs)
        #expect(!plain.stdout.contains("\u{1B}["), "not a terminal: no colour")
        let forced = try await runMLRun(args: ["-c", "good.toml", "--color", "yes"], cwd: configs)
        #expect(forced.stdout.contains("\u{1B}[32m1 passed\u{1B}[0m"))
        let never = try await runMLRun(args: ["-c", "good.toml", "--color", "no"], cwd: configs, environment: ["NO_COLOR": "1"])
        #expect(!never.stdout.contains("\u{1B}["))
    }

    // MARK: misbehaving plugins (SPEC §5, §7)

    @Test func misbehavingPluginGetsOneOutcomePerTestAndMlrunKeepsGoing() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("report.json")
        let junit = scratch.appendingPathComponent("junit.xml")
        let childPid = scratch.appendingPathComponent("child.pid")
        let result = try await runMLRun(
            args: ["-c", "runner.toml", "--json", report.path, "--junit-xml", junit.path, "--seed", "99"],
            cwd: fixtures.appendingPathComponent("misbehaving"),
            environment: ["CHILD_PID_FILE": childPid.path]
        )
        #expect(result.exitCode == 1, "\(result)")
        #expect(!result.stderr.contains("Fatal error"), "\(result)")
        let report_ = try json(report)
        #expect(
            outcomes(report_) == [
                "bad::a_pass": "passed", "bad::b_fail": "failed", "bad::c_segfault": "crashed",
                "bad::d_after_segfault": "passed", "bad::e_hang": "timeout", "bad::f_after_hang": "passed",
                "bad::g_malformed": "error", "bad::h_wrong_id": "error", "bad::i_exit_early": "crashed",
                "bad::j_stderr_flood": "passed", "bad::k_hang_with_child": "timeout", "bad::l_last": "passed",
            ])
        let tests = Dictionary(uniqueKeysWithValues: (report_["tests"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        #expect((tests["bad::c_segfault"]?["message"] as? String)?.contains("killed by signal 11 (SIGSEGV)") == true)
        #expect((tests["bad::c_segfault"]?["stderr"] as? String)?.contains("about to segfault") == true)
        #expect((tests["bad::i_exit_early"]?["message"] as? String)?.contains("exited with status 3") == true)
        #expect((tests["bad::g_malformed"]?["message"] as? String)?.contains("\"this is not json\"") == true)
        #expect((tests["bad::h_wrong_id"]?["message"] as? String)?.contains("unknown id \"nobody\"") == true)
        #expect((tests["bad::b_fail"]?["values"] as? [String: Any])?["threshold"] as? Double == 0.9)
        let flood = try #require(tests["bad::j_stderr_flood"]?["stderr"] as? String)
        #expect(flood.utf8.count < (1 << 20) + 200)
        #expect(flood.contains("[mlrun: output truncated: 2097152 more bytes over the 1048576-byte limit were dropped]"))
        let summary = try #require(report_["summary"] as? [String: Int])
        #expect(summary["selected"] == 12 && summary["crashed"] == 2 && summary["timeout"] == 2 && summary["error"] == 2)
        #expect(report_["seed"] as? Int == 99)
        try await expectValidReport(report)

        // The hanging test's own child was killed with the process group.
        let pid = try String(contentsOf: childPid, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!processIsRunning(pid: pid), "the plugin's child \(pid) survived the timeout")

        #if canImport(FoundationXML)
        let document = try XMLDocument(contentsOf: junit)
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 12)
        #expect(try document.nodes(forXPath: "//testcase[failure]").count == 1)
        #expect(try document.nodes(forXPath: "//testcase[error]").count == 6)
        #expect(try document.nodes(forXPath: "//testcase[@name='c_segfault']/error/@type").first?.stringValue == "crashed")
        #expect(try document.nodes(forXPath: "//testsuite/@name").first?.stringValue == "bad")
        #expect(
            try document.nodes(forXPath: "//testcase[@name='c_segfault']/system-err").first?.stringValue?.contains("about to segfault") == true)
        #endif
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    func processIsRunning(pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // The state letter follows the parenthesised command name.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    // MARK: interrupt (SPEC §3: exit 2, reports of what finished)

    @Test func sigintDuringARunWritesReportsAndExitsTwo() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("report.json")
        let junit = scratch.appendingPathComponent("junit.xml")
        let events = scratch.appendingPathComponent("events.jsonl")
        let run = try await runAndInterrupt(
            args: ["--json", report.path, "--junit-xml", junit.path, "--events", events.path, "-q"],
            cwd: fixtures.appendingPathComponent("interrupt"), eventsFile: events,
            markers: ["\"test_started\",\"id\":\"slowpoke::c_hangs\""])
        #expect(run.status == 2, "mlrun did not stop with exit 2 after SIGINT")
        #expect(try run.secondsUntilWritten(report) < 5)

        let report_ = try json(report)
        #expect(
            outcomes(report_) == [
                "slowpoke::a_quick": "passed", "slowpoke::b_quick": "passed",
                "slowpoke::c_hangs": "skipped", "slowpoke::d_never": "skipped",
            ])
        #expect(report_["interrupted"] as? String == "SIGINT")
        #expect(report_["exit_code"] as? Int == 2)
        try await expectValidReport(report)
        #if canImport(FoundationXML)
        let document = try XMLDocument(contentsOf: junit)
        #expect(try document.nodes(forXPath: "//testcase").count == 4)
        #endif
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n")
        #expect(lines.last?.contains("\"event\":\"run_finished\"") == true)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["version"] as? Int == 1)
        }
    }

    // MARK: reports

    @Test func collectOnlyReportsThePlan() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("plan.json")
        let result = try await runMLRun(
            args: ["--collect-only", "-m", "not slow and dataset(name='iris')", "--json", report.path],
            cwd: repositoryRoot)
        #expect(result.exitCode == 0, "\(result)")
        let plan = try json(report)
        let tests = plan["tests"] as! [[String: Any]]
        #expect(
            tests.map { $0["id"] as! String } == [
                "featurelib::tests/test_features.py::test_min_max_scale_iris_sepal_length",
                "featurelib::tests/test_features.py::test_one_hot_iris_species",
            ])
        #expect(tests.allSatisfy { $0["outcome"] as? String == "collected" })
        let deselected = plan["deselected"] as! [[String: Any]]
        // Everything else in the root config: featurelib's other pytest items, the churn-data, churn-quality
        // and churn-drift suites (95), and the churn-model [[roundtrip]] suites (7 + 7 + 6 + 4).
        #expect(deselected.count == 152)
        #expect(deselected.first?["reason"] as? String == "deselected by -m 'not slow and dataset(name='iris')'")
        #expect(result.stdout.contains("featurelib::tests/test_features.py::test_one_hot_iris_species"))
        try await expectValidReport(report)
    }

    @Test func theExamplesRunGreen() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["--json", report.path, "--seed", "1"], cwd: repositoryRoot)
        #expect(result.exitCode == 0, "\(result)")
        let summary = try #require(try json(report)["summary"] as? [String: Int])
        #expect(summary["failed"] == 0 && summary["error"] == 0)
        #expect((summary["passed"] ?? 0) >= 13)
        try await expectValidReport(report)
    }

    /// The per-test seed formula is language-neutral: the Python example computes the same
    /// seeds as mlrun reports.
    @Test func perTestSeedsMatchThePythonDerivation() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(
            args: ["--json", report.path, "--seed", "18446744073709551615", "-m", "not slow and not known_defect"], cwd: repositoryRoot)
        #expect(result.exitCode == 0, "\(result)")
        let tests = try json(report)["tests"] as! [[String: Any]]
        let python = try #require(findOnPath("python3"))
        let script = """
            import sys; sys.path.insert(0, 'examples/featurelib/tests')
            from seeds import test_seed
            for line in sys.stdin.read().split():
                print(test_seed(18446744073709551615, line))
            """
        let input = scratch.appendingPathComponent("ids")
        try Data(tests.map { $0["id"] as! String }.joined(separator: "\n").utf8).write(to: input)
        let derived = try await runProcess(
            python, args: ["-c", "import sys; sys.stdin = open(sys.argv[1]); exec(sys.argv[2])", input.path, script], cwd: repositoryRoot)
        #expect(derived.stdout.split(separator: "\n").map(String.init) == tests.map { $0["seed"] as! String }, "\(derived)")
    }
}
