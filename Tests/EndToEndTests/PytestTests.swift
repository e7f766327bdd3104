import Foundation
import Testing

/// End-to-end: the built-in `[[pytest]]` plugin through the binary (issue 13), on a small
/// pytest project (Fixtures/pytest-project) copied to a temporary folder, run by the python3 on
/// PATH. Without pytest and Hypothesis there the tests return early, unless MLRUN_REQUIRE_PYTEST
/// is set (then they fail).
@Suite struct PytestTests {
    static let project = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/pytest-project")

    /// The outcome of every node id, as pytest itself decides it.
    static let expected: [String: String] = [
        "tests/test_outcomes.py::test_passes": "passed",
        "tests/test_outcomes.py::test_fails": "failed",
        "tests/test_outcomes.py::test_parametrized[1-2]": "passed",
        "tests/test_outcomes.py::test_parametrized[3-4]": "passed",
        "tests/test_outcomes.py::test_skipped": "skipped",
        "tests/test_outcomes.py::test_xfails": "skipped",
        "tests/test_outcomes.py::test_xpasses_strictly": "failed",
        "tests/test_outcomes.py::test_setup_error": "error",
        "tests/test_outcomes.py::TestGroup::test_in_class": "passed",
        "tests/test_outcomes.py::test_seed_is_exported": "passed",
        "tests/test_crash.py::test_before": "passed",
        "tests/test_crash.py::test_exits": "crashed",
        "tests/test_crash.py::test_segfaults": "crashed",
        "tests/test_crash.py::test_after": "passed",
        "tests/test_property.py::test_bounded": "failed",
    ]

    /// True when python3 can import pytest and Hypothesis; otherwise records why (a failure
    /// under MLRUN_REQUIRE_PYTEST) and returns false.
    static func pythonReady() async throws -> Bool {
        if let python = findOnPath("python3") {
            let probe = try await runProcess(python, args: ["-c", "import pytest, hypothesis"], cwd: repositoryRoot)
            if probe.exitCode == 0 { return true }
        }
        if ProcessInfo.processInfo.environment["MLRUN_REQUIRE_PYTEST"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
            Issue.record("MLRUN_REQUIRE_PYTEST is set but python3 cannot import pytest and hypothesis")
        }
        return false
    }

    /// A copy of the project with `runner.toml` holding `table`.
    static func copy(_ source: URL = project, table: String) throws -> URL {
        let folder = try makeTemporaryDirectory(prefix: "mlrun-pytest")
        let target = folder.appendingPathComponent("project")
        try FileManager.default.copyItem(at: source, to: target)
        _ = try writeFile("runner.toml", in: target, table)
        return target
    }

    static func table(sessionLog: URL? = nil) -> String {
        """
        [[pytest]]
        name = "py"
        args = ["tests"]
        seed_random = true
        \(sessionLog.map { "env = { SESSION_LOG = \"\($0.path)\" }" } ?? "")

        """
    }

    static func report(_ url: URL) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (root["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    @Test(arguments: [[String](), ["-n", "2"]])
    func everyNodeIDGetsPytestsOutcome(workers: [String]) async throws {
        guard try await Self.pythonReady() else { return }
        let log = try makeTemporaryDirectory().appendingPathComponent("sessions.log")
        let project = try Self.copy(table: Self.table(sessionLog: log))
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let result = try await runMLRun(args: ["--json", "r.json", "-q", "--seed", "7"] + workers, cwd: project, timeout: .seconds(120))
        #expect(result.exitCode == 1, "\(result)")
        let tests = try Self.report(project.appendingPathComponent("r.json"))
        let outcomes = Dictionary(uniqueKeysWithValues: tests.map { (String($0.key.dropFirst("py::".count)), $0.value["outcome"] as? String ?? "") })
        #expect(outcomes == Self.expected)

        func test(_ nodeID: String) -> [String: Any] { tests["py::" + nodeID] ?? [:] }
        func message(_ nodeID: String) -> String { test(nodeID)["message"] as? String ?? "" }
        #expect(message("tests/test_outcomes.py::test_fails").hasPrefix("tests/test_outcomes.py:15: AssertionError: two and two"))
        #expect(message("tests/test_outcomes.py::test_skipped") == "not today")
        #expect(message("tests/test_outcomes.py::test_xfails") == "xfail: known bug")
        #expect((test("tests/test_outcomes.py::test_xfails")["values"] as? [String: Any])?["xfail"] as? Bool == true)
        #expect(message("tests/test_outcomes.py::test_xpasses_strictly") == "[XPASS(strict)] fixed already")
        #expect(
            message("tests/test_outcomes.py::test_setup_error").hasPrefix("error in setup: tests/test_outcomes.py:42: RuntimeError: setup went wrong")
        )
        #expect(message("tests/test_property.py::test_bounded").contains("Falsifying example: test_bounded("))
        #expect(message("tests/test_crash.py::test_exits").contains("exit"), "\(message("tests/test_crash.py::test_exits"))")
        #expect((test("tests/test_outcomes.py::test_passes")["stdout"] as? String ?? "").contains("hello from the test"))
        // The per-test seed mlrun reports is the one the test saw.
        let seed = try #require(test("tests/test_outcomes.py::test_seed_is_exported")["seed"] as? String)
        #expect((test("tests/test_outcomes.py::test_seed_is_exported")["stdout"] as? String ?? "").contains("seed=\(seed) "))
        // Hypothesis tests get the property marker; pytest's own marks come with their arguments.
        let markers = test("tests/test_property.py::test_bounded")["markers"] as? [Any] ?? []
        #expect(markers.contains { $0 as? String == "property" })

        // A session fixture is set up once per pytest process: never twice in one.
        let setups = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(!setups.isEmpty)
        #expect(Set(setups).count == setups.count, "a process set the session fixture up twice: \(setups)")
    }

    /// A serial run imports and collects the tree once in all: the process that discovered
    /// runs the tests. Under -n 2 it runs worker 0's, and worker 1's process collects once more.
    @Test func aSerialRunCollectsOnce() async throws {
        guard try await Self.pythonReady() else { return }
        let log = try makeTemporaryDirectory().appendingPathComponent("collections.log")
        let table = "[[pytest]]\nname = \"py\"\nargs = [\"tests\"]\nenv = { COLLECT_LOG = \"\(log.path)\" }\n"
        let project = try Self.copy(table: table)
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let serial = try await runMLRun(args: ["-q", "-k", "not crash"], cwd: project, timeout: .seconds(120))
        #expect(serial.exitCode == 1, "\(serial)")
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 1)
        try FileManager.default.removeItem(at: log)
        let parallel = try await runMLRun(args: ["-q", "-k", "not crash", "-n", "2"], cwd: project, timeout: .seconds(120))
        #expect(parallel.exitCode == 1, "\(parallel)")
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test func selectionByNodeIDKeywordAndMarkerFollowsPytest() async throws {
        guard try await Self.pythonReady() else { return }
        let project = try Self.copy(table: Self.table())
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        func collected(_ args: [String]) async throws -> [String] {
            let result = try await runMLRun(args: ["--collect-only", "--json", "plan.json"] + args, cwd: project)
            #expect(result.exitCode == 0 || result.exitCode == 5, "\(args): \(result)")
            let plan = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: project.appendingPathComponent("plan.json"))) as? [String: Any])
            return (plan["tests"] as? [[String: Any]] ?? []).map { String(($0["id"] as! String).dropFirst("py::".count)) }.sorted()
        }
        // A class's node id selects its tests.
        #expect(try await collected(["py::tests/test_outcomes.py::TestGroup"]) == ["tests/test_outcomes.py::TestGroup::test_in_class"])
        // -k matches pytest's names (node names, markers, extra keywords), not the id's text:
        // "outcomes.py::test" (across a separator) selects nothing.
        #expect(
            try await collected(["-k", "group or fails"]) == [
                "tests/test_outcomes.py::TestGroup::test_in_class", "tests/test_outcomes.py::test_fails", "tests/test_outcomes.py::test_xfails",
            ])
        #expect(try await collected(["-k", "outcomes.py::test"]).isEmpty)
        #expect(try await collected(["-k", "TESTGROUP"]) == ["tests/test_outcomes.py::TestGroup::test_in_class"])
        #expect(
            try await collected(["-k", "crash and not segfault and not exits"]) == [
                "tests/test_crash.py::test_after", "tests/test_crash.py::test_before",
            ])
        // -m with keyword arguments, and pytest's own marks.
        #expect(
            try await collected(["-m", "dataset(name='iris') and slow"]) == [
                "tests/test_outcomes.py::test_parametrized[1-2]", "tests/test_outcomes.py::test_parametrized[3-4]",
            ])
        #expect(try await collected(["-m", "xfail"]) == ["tests/test_outcomes.py::test_xfails", "tests/test_outcomes.py::test_xpasses_strictly"])
        #expect(try await collected(["-m", "property"]) == ["tests/test_property.py::test_bounded"])
    }

    /// `-m` in the table's args (as in a project's addopts) is the suite's default: pytest
    /// applies it when its command line has no -m, and so does mlrun.
    @Test func aMinusMInTheArgsAppliesOnlyWithoutMinusM() async throws {
        guard try await Self.pythonReady() else { return }
        let project = try Self.copy(table: "[[pytest]]\nname = \"py\"\nargs = [\"tests\", \"-m\", \"not slow\"]\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        func summary(_ args: [String]) async throws -> [String: Any] {
            let result = try await runMLRun(args: ["--collect-only", "--json", "plan.json"] + args, cwd: project)
            #expect(result.exitCode == 0, "\(args): \(result)")
            let plan = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: project.appendingPathComponent("plan.json"))) as? [String: Any])
            return try #require(plan["summary"] as? [String: Any])
        }
        let plain = try await summary([])
        #expect(plain["selected"] as? Int == 13 && plain["deselected"] as? Int == 2, "\(plain)")
        let slow = try await summary(["-m", "slow"])
        #expect(slow["selected"] as? Int == 2, "\(slow)")
        let all = try await summary(["-m", ""])
        #expect(all["selected"] as? Int == 15, "\(all)")
    }

    @Test func strictMarkersAcceptWhatPytestDeclares() async throws {
        guard try await Self.pythonReady() else { return }
        let project = try Self.copy(table: "[runner]\nstrict_markers = true\n\n" + Self.table())
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let result = try await runMLRun(args: ["--collect-only", "-q"], cwd: project)
        #expect(result.exitCode == 0, "\(result)")
    }

    @Test func aCollectionErrorIsTheSuitesErrorNamingTheFile() async throws {
        guard try await Self.pythonReady() else { return }
        let broken = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/pytest-broken")
        let project = try Self.copy(broken, table: "[[pytest]]\nname = \"broken\"\nargs = [\"tests\"]\n")
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let result = try await runMLRun(args: ["--json", "r.json", "-q"], cwd: project)
        #expect(result.exitCode == 1, "\(result)")
        let text = result.stdout + result.stderr
        #expect(
            text.contains("ERROR collecting tests/test_broken.py: E   ModuleNotFoundError: No module named 'not_a_module_anywhere'"),
            "\(text)")
    }
}
