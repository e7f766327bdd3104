import Foundation
import Testing

/// End-to-end: real third-party pytest suites, unchanged, under `[[pytest]]`, against pytest
/// itself on the same tree (issue 13). The projects and versions are pinned in
/// scripts/thirdparty/projects.json; their sdists are fetched from PyPI into the git-ignored
/// .build-third-party/ by scripts/thirdparty/fetch.py, which these tests run first.
///
/// By default only attrs runs, with every other of its expressions (60 of 120): a few
/// minutes. `MLRUN_THIRDPARTY=all` runs the three projects with all their expressions (the
/// figures of the closing note); it takes most of an hour on two cores. Without network or
/// pytest the tests return early, unless MLRUN_REQUIRE_PYTEST is set (then they fail).
@Suite struct ThirdPartyPytestTests {
    static let everything = ProcessInfo.processInfo.environment["MLRUN_THIRDPARTY"] == "all"
    static let projects = everything ? ["attrs", "python-dateutil", "packaging"] : ["attrs"]

    /// One project of projects.json, unpacked and ready, with pytest's python.
    struct Project {
        var name: String
        var folder: URL
        var args: [String]
        var environment: [String: String]
        var python: URL
    }

    /// Fetches `name` (quick when done already); nil, with the reason recorded under
    /// MLRUN_REQUIRE_PYTEST, when that cannot be done here.
    static func prepare(_ name: String) async throws -> Project? {
        let required = ProcessInfo.processInfo.environment["MLRUN_REQUIRE_PYTEST"].map { !$0.isEmpty && $0 != "0" } ?? false
        guard let python = findOnPath("python3") else {
            if required { Issue.record("MLRUN_REQUIRE_PYTEST is set but there is no python3 on PATH") }
            return nil
        }
        let fetched = try await runProcess(
            python, args: ["scripts/thirdparty/fetch.py", name], cwd: repositoryRoot, timeout: .seconds(600))
        guard fetched.exitCode == 0 else {
            if required { Issue.record("MLRUN_REQUIRE_PYTEST is set but fetching \(name) failed: \(fetched)") }
            return nil
        }
        let catalogue = repositoryRoot.appendingPathComponent("scripts/thirdparty/projects.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: catalogue)) as? [String: Any])
        let entry = try #require((root["projects"] as? [[String: Any]])?.first { $0["name"] as? String == name })
        let version = try #require(entry["version"] as? String)
        return Project(
            name: name, folder: repositoryRoot.appendingPathComponent(".build-third-party/\(name)-\(version)"),
            args: entry["args"] as? [String] ?? [], environment: entry["env"] as? [String: String] ?? [:], python: python)
    }

    /// A folder whose runner.toml has one `[[pytest]]` table, "tp", for `project`; the caller
    /// removes it.
    static func config(_ project: Project) throws -> URL {
        let folder = try makeTemporaryDirectory(prefix: "mlrun-thirdparty")
        func toml(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
        }
        let env = try project.environment.sorted { $0.key < $1.key }.map { "\(try toml($0.key)) = \(try toml($0.value))" }
        try writeFile(
            "runner.toml", in: folder,
            """
            [[pytest]]
            name = "tp"
            cwd = \(try toml(project.folder.path))
            args = \(try toml(project.args))
            env = { \(env.joined(separator: ", ")) }
            timeout = 300

            """)
        return folder
    }

    /// `{node id: outcome}` from an mlrun JSON report, in the oracle's words (an xfail is
    /// `xfail`, not `skipped`).
    static func outcomes(_ report: URL) throws -> [String: String] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        var outcomes: [String: String] = [:]
        for test in root["tests"] as? [[String: Any]] ?? [] {
            let id = String((test["id"] as? String ?? "").dropFirst("tp::".count))
            let outcome = test["outcome"] as? String ?? "?"
            let xfail = (test["values"] as? [String: Any])?["xfail"] as? Bool ?? false
            outcomes[id] = outcome == "skipped" && xfail ? "xfail" : outcome
        }
        return outcomes
    }

    /// The node ids on which `mine` and `theirs` disagree, shown as `id: theirs ≠ mine`.
    static func differences(_ mine: [String: String], _ theirs: [String: String]) -> [String] {
        Set(mine.keys).union(theirs.keys).sorted().compactMap { id in
            mine[id] == theirs[id] ? nil : "\(id): pytest \(theirs[id] ?? "-") ≠ mlrun \(mine[id] ?? "-")"
        }
    }

    @Test(arguments: projects)
    func everyNodeIDHasPytestsOutcomeSeriallyAndOnTwoWorkers(name: String) async throws {
        guard let project = try await Self.prepare(name) else { return }
        let oracle = try await runProcess(
            project.python, args: ["scripts/thirdparty/pytest_oracle.py", name], cwd: repositoryRoot, timeout: .seconds(1200))
        try #require(oracle.exitCode == 0, "\(oracle)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(oracle.stdout.utf8)) as? [String: String])
        #expect(theirs.count > 1000)
        let folder = try Self.config(project)
        defer { try? FileManager.default.removeItem(at: folder) }
        for workers in [[], ["-n", "2"]] {
            let report = folder.appendingPathComponent("r.json")
            let result = try await runMLRun(args: ["-q", "--json", report.path] + workers, cwd: folder, timeout: .seconds(1200))
            #expect([0, 1].contains(result.exitCode), "\(workers): \(result)")
            let differences = Self.differences(try Self.outcomes(report), theirs)
            #expect(
                differences.isEmpty,
                "\(name) \(workers): \(differences.count) node ids differ:\n\(differences.prefix(30).joined(separator: "\n"))")
        }
    }

    /// One `-m` or `-k` expression and what pytest made of it.
    struct Expected: Sendable {
        var flag: String
        var expression: String
        /// The node ids pytest selects, or nil when it rejects the expression.
        var selected: Set<String>?
        /// pytest's message when it rejects the expression.
        var error: String?
    }

    @Test(arguments: projects)
    func minusMAndMinusKSelectWhatPytestSelects(name: String) async throws {
        guard let project = try await Self.prepare(name) else { return }
        let select = try await runProcess(
            project.python, args: ["scripts/thirdparty/expressions.py", name, "--select"], cwd: repositoryRoot, timeout: .seconds(1200))
        try #require(select.exitCode == 0, "\(select)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(select.stdout.utf8)) as? [String: Any])
        var expected: [Expected] = []
        for flag in ["m", "k"] {
            for (index, entry) in (root[flag] as? [[String: Any]] ?? []).enumerated() where Self.everything || index % 2 == 0 {
                expected.append(
                    Expected(
                        flag: "-" + flag, expression: entry["expression"] as? String ?? "",
                        selected: (entry["selected"] as? [String]).map(Set.init), error: entry["error"] as? String))
            }
        }
        #expect(expected.count >= 50)
        // pytest rejects marker names it does not know in -m when the project runs with
        // --strict-markers (in its addopts); mlrun does so under its own --strict-markers.
        let strict = expected.contains { $0.error?.contains("Unknown marker") == true }
        let folder = try Self.config(project)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mlrun = try mlrunBinary()
        let problems = try await withThrowingTaskGroup(of: String?.self) { group in
            var problems: [String] = []
            var next = 0
            func addNext() {
                guard next < expected.count else { return }
                let (one, index) = (expected[next], next)
                next += 1
                group.addTask {
                    try await Self.compare(one, index: index, mlrun: mlrun, folder: folder, strict: strict)
                }
            }
            // Two at a time: each is a whole pytest collection.
            addNext()
            addNext()
            while let problem = try await group.next() {
                if let problem { problems.append(problem) }
                addNext()
            }
            return problems
        }
        #expect(
            problems.isEmpty,
            "\(name): \(problems.count) of \(expected.count) expressions differ:\n\(problems.prefix(20).joined(separator: "\n"))")
    }

    /// nil when `mlrun --collect-only FLAG EXPRESSION` agrees with pytest, else what differs.
    static func compare(_ expected: Expected, index: Int, mlrun: URL, folder: URL, strict: Bool) async throws -> String? {
        let plan = folder.appendingPathComponent("plan-\(index).json")
        var args = ["--collect-only", "-q", "--json", plan.path, expected.flag, expected.expression]
        if strict { args.append("--strict-markers") }
        let result = try await runProcess(mlrun, args: args, cwd: folder, timeout: .seconds(600))
        let shown = "\(expected.flag) \(expected.expression.debugDescription)"
        if let error = expected.error {
            guard result.exitCode == 4 else { return "\(shown): pytest rejects it (\(error)), mlrun exits \(result.exitCode)" }
            // A syntax error: the same column and message as pytest's.
            if let range = error.range(of: ": at column ") {
                let detail = String(error[range.lowerBound...])
                if !result.stderr.contains(detail) { return "\(shown): pytest says '\(detail)', mlrun '\(result.stderr)'" }
            }
            return nil
        }
        guard [0, 5].contains(result.exitCode) else { return "\(shown): mlrun exits \(result.exitCode): \(result.stderr)" }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
        let mine = Set((root["tests"] as? [[String: Any]] ?? []).map { String(($0["id"] as? String ?? "").dropFirst("tp::".count)) })
        let theirs = expected.selected ?? []
        guard mine != theirs else { return nil }
        let missing = theirs.subtracting(mine).sorted().prefix(3)
        let extra = mine.subtracting(theirs).sorted().prefix(3)
        return "\(shown): pytest selects \(theirs.count), mlrun \(mine.count); only pytest: \(Array(missing)); only mlrun: \(Array(extra))"
    }
}
