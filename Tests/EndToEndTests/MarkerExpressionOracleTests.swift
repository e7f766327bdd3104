// mlrun's -m against pytest's own implementation, on random expressions.
//
// scripts/pytest_oracle.py generates expressions and a test set, and asks pytest
// (Expression.compile + MarkMatcher) which tests each expression selects or what syntax
// error it reports. This test then runs the built mlrun on a `[[command]]` suite that
// discovers the same tests, once per expression, and compares.
//
// mlrun follows pytest 9.2.0 exactly (`\` is an identifier character; a backslash is refused
// only inside a string literal), so another pytest is no oracle. Without pytest 9.2.0 the
// test returns early, unless MLRUN_REQUIRE_PYTEST is set (then it is a failure).

import Foundation
import Testing

@Suite("mlrun -m agrees with pytest")
struct MarkerExpressionOracleTests {
    static let expressionCount = 300
    static let seed = 20_240_611
    /// mlrun processes running at once.
    static let parallelism = 4
    /// The pytest whose grammar mlrun follows.
    static let pytestVersion = "9.2.0"

    @Test("300 random expressions select what pytest selects, or fail as pytest fails")
    func randomExpressionsAgreeWithPytest() async throws {
        guard let python = findOnPath("python3") else {
            try requirePytestOrReturn("python3 is not on PATH")
            return
        }
        let probe = try await runProcess(python, args: ["-c", "import pytest; print(pytest.__version__)"], cwd: repositoryRoot)
        guard probe.exitCode == 0 else {
            let reason = probe.stderr.split(separator: "\n").last.map(String.init) ?? "exit \(probe.exitCode)"
            try requirePytestOrReturn("python3 cannot import pytest (\(reason))")
            return
        }
        let installed = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard installed == Self.pytestVersion else {
            try requirePytestOrReturn(
                "\(python.path) has pytest \(installed), and mlrun follows pytest \(Self.pytestVersion) (install it: pip install pytest==\(Self.pytestVersion))"
            )
            return
        }
        let mlrun = try mlrunBinary()

        let folder = try makeTemporaryDirectory(prefix: "mlrun-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let oracle = repositoryRoot.appendingPathComponent("scripts/pytest_oracle.py").path

        // The cases, then pytest's verdicts.
        let generated = try await runProcess(
            python, args: [oracle, "--generate", String(Self.expressionCount), "--seed", String(Self.seed)], cwd: folder)
        try #require(generated.exitCode == 0, "pytest_oracle.py --generate failed: \(generated)")
        let casesFile = try writeFile("cases.json", in: folder, generated.stdout)
        let verdicts = try await runProcess(python, args: [oracle, casesFile.path], cwd: folder)
        try #require(verdicts.exitCode == 0, "pytest_oracle.py failed: \(verdicts)")

        let cases = try #require(try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])
        let tests = try #require(cases["tests"] as? [Any])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verdicts.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        try #require(results.count == Self.expressionCount)
        try #require(report["pytest_version"] as? String == Self.pytestVersion, "the oracle ran pytest \(report["pytest_version"] ?? "?")")

        // A suite whose plugin discovers the oracle's tests.
        let suiteFolder = folder.appendingPathComponent("suite", isDirectory: true)
        try writeFile("tests.json", in: suiteFolder, String(decoding: try JSONSerialization.data(withJSONObject: tests), as: UTF8.self))
        try writeFile(
            "plugin.py", in: suiteFolder,
            """
            import json, sys
            if len(sys.argv) > 1 and sys.argv[1] == "discover":
                with open("tests.json", encoding="utf-8") as handle:
                    for test in json.load(handle):
                        print(json.dumps({"id": test["id"], "markers": test["markers"]}))
                sys.exit(0)
            sys.exit("this plugin only discovers")

            """)
        let config = try writeFile(
            "runner.toml", in: suiteFolder,
            """
            [[command]]
            name = "s"
            run = ["\(python.path)", "plugin.py"]

            """)

        let verdictsByIndex = Array(results.enumerated())
        var mismatches: [(Int, String)] = []
        try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var next = 0
            func addNext() {
                guard next < verdictsByIndex.count else { return }
                let (index, verdict) = verdictsByIndex[next]
                next += 1
                let expected = Expected(verdict)
                group.addTask {
                    let problem = try await Self.compare(expected, mlrun: mlrun, config: config, folder: folder, index: index)
                    return (index, problem)
                }
            }
            for _ in 0..<Self.parallelism { addNext() }
            while let (index, problem) = try await group.next() {
                if let problem { mismatches.append((index, problem)) }
                addNext()
            }
        }
        mismatches.sort { $0.0 < $1.0 }
        let version = report["pytest_version"] as? String ?? "?"
        if !mismatches.isEmpty {
            Issue.record(
                """
                mlrun and pytest \(version) disagree on \(mismatches.count) of \(results.count) expressions (seed \(Self.seed)):
                \(mismatches.map { "#\($0.0) \($0.1)" }.joined(separator: "\n"))
                """)
        }
    }

    /// Returns normally (the caller then returns) unless MLRUN_REQUIRE_PYTEST asks for pytest.
    private func requirePytestOrReturn(_ why: String) throws {
        let required = ProcessInfo.processInfo.environment["MLRUN_REQUIRE_PYTEST"].map { !$0.isEmpty && $0 != "0" } ?? false
        if required {
            throw SupportError("MLRUN_REQUIRE_PYTEST is set but \(why)")
        }
        FileHandle.standardError.write(Data("note: skipping the pytest oracle comparison: \(why)\n".utf8))
    }

    /// What pytest said about one expression.
    struct Expected: Sendable {
        var expression: String
        /// The ids pytest selects, or nil when the expression is an error.
        var selected: Set<String>?
        var column: Int?
        var message: String?

        init(_ verdict: [String: Any]) {
            expression = verdict["expression"] as? String ?? ""
            selected = (verdict["selected"] as? [String]).map(Set.init)
            let error = verdict["error"] as? [String: Any]
            column = error?["column"] as? Int
            message = error?["message"] as? String
        }
    }

    /// Runs mlrun on one expression; nil when it agrees with pytest, else what differs.
    static func compare(_ expected: Expected, mlrun: URL, config: URL, folder: URL, index: Int) async throws -> String? {
        let reportFile = folder.appendingPathComponent("report-\(index).json")
        let result = try await runProcess(
            mlrun, args: ["-c", config.path, "--collect-only", "-m", expected.expression, "--json", reportFile.path],
            cwd: folder, timeout: .seconds(30))
        let shown = "-m \(String(reflecting: expected.expression))"
        if result.timedOut { return "\(shown): mlrun timed out" }

        guard let selected = expected.selected else {
            // pytest rejects the expression.
            guard result.exitCode == 4 else {
                return
                    "\(shown): pytest says error at column \(expected.column.map(String.init) ?? "?"): \(expected.message ?? "?"); mlrun exited \(result.exitCode)"
            }
            guard let column = expected.column, let message = expected.message else {
                return nil  // pytest itself crashed; any usage error will do
            }
            let line = "mlrun: error: wrong expression passed to '-m': \(expected.expression): at column \(column): \(message)"
            if !result.stderr.contains(line) {
                return
                    "\(shown): pytest says at column \(column): \(message); mlrun said: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
            return nil
        }

        let expectedExit: Int32 = selected.isEmpty ? 5 : 0
        guard result.exitCode == expectedExit else {
            return
                "\(shown): pytest selects \(selected.sorted()); mlrun exited \(result.exitCode) (expected \(expectedExit)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        guard let data = try? Data(contentsOf: reportFile),
            let report = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let tests = report["tests"] as? [[String: Any]]
        else {
            return "\(shown): mlrun wrote no readable JSON report"
        }
        var got = Set<String>()
        for test in tests {
            guard let id = test["id"] as? String, test["outcome"] as? String == "collected" else {
                return "\(shown): unexpected report entry \(test)"
            }
            got.insert(id.hasPrefix("s::") ? String(id.dropFirst(3)) : id)
        }
        if got != selected {
            let missing = selected.subtracting(got).sorted()
            let extra = got.subtracting(selected).sorted()
            return "\(shown): mlrun misses \(missing), selects extra \(extra)"
        }
        return nil
    }
}
