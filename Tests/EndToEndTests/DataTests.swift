import Foundation
import Testing

/// End-to-end: the built-in `[[data]]` plugin (issue 5).
@Suite struct DataTests {
    let fixtures = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")

    func report(_ url: URL) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (root["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    func unexpectedCount(_ test: [String: Any]?) -> Int? {
        (test?["values"] as? [String: Any])?["unexpected_count"] as? Int
    }

    /// pandas' counts from oracle.py, or nil when pandas is not installed (an error under
    /// MLRUN_REQUIRE_PANDAS, as CI sets it).
    func pandasCounts(_ folder: URL) async throws -> [String: Int]? {
        let python = try #require(findOnPath("python3"))
        let probe = try await runProcess(python, args: ["-c", "import pandas"], cwd: folder)
        guard probe.exitCode == 0 else {
            if let required = ProcessInfo.processInfo.environment["MLRUN_REQUIRE_PANDAS"], !required.isEmpty, required != "0" {
                throw SupportError("MLRUN_REQUIRE_PANDAS is set but pandas cannot be imported: \(probe.stderr)")
            }
            return nil
        }
        let oracle = try await runProcess(python, args: ["oracle.py", "defects.csv"], cwd: folder)
        #expect(oracle.exitCode == 0, "\(oracle)")
        return try JSONSerialization.jsonObject(with: Data(oracle.stdout.utf8)) as? [String: Int]
    }

    @Test func plantedDefectsFailExactlyWithPandasCounts() async throws {
        let folder = fixtures.appendingPathComponent("data-defects")
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["--json", path.path, "-q"], cwd: folder)
        #expect(result.exitCode == 1, "\(result)")
        let tests = try report(path)
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Int])
        #expect(tests.count == expected.count)
        for (name, count) in expected {
            let test = tests["train::\(name)"]
            #expect(unexpectedCount(test) == count, "\(name)")
            #expect(test?["outcome"] as? String == (count > 0 ? "failed" : "passed"), "\(name)")
        }
        if let pandas = try await pandasCounts(folder) {
            #expect(pandas == expected, "pandas disagrees with the generator")
            for (name, count) in pandas { #expect(unexpectedCount(tests["train::\(name)"]) == count, "\(name) vs pandas") }
        }
        // Samples name the line, the key and the value.
        let between = try #require(tests["train::feature_a::between"]?["values"] as? [String: Any])
        let sample = try #require(between["unexpected_sample"] as? [[String: Any]])
        // The four out-of-range rows of defects.csv, in file order (line 1 is the header).
        #expect(sample.compactMap { $0["line"] as? Int } == [98, 125, 134, 166])
        #expect(sample.compactMap { $0["value"] as? String } == ["2", "-0.25", "1.5", "1.000001"])
        #expect(sample.compactMap { ($0["key"] as? [String: Any])?["user_id"] as? String } == ["1016", "1035", "1042", "1044"])
        // Samples of hash-grouped checks get their lines back from byte offsets.
        let unique = try #require(tests["train::user_id,timestamp::unique"]?["values"] as? [String: Any])
        let pairs = try #require(unique["unexpected_sample"] as? [[String: Any]])
        #expect(pairs.compactMap { $0["line"] as? Int } == [139, 140, 177, 178])
        #expect(
            pairs.compactMap { $0["value"] as? String } == [
                "1017, 2024-01-06T17:39:00Z", "1017, 2024-01-06T17:39:00Z",
                "1055, 2024-01-08T07:50:00Z", "1055, 2024-01-08T07:50:00Z",
            ])
        #expect(
            (tests["train::feature_a::type"]?["message"] as? String)?.hasPrefix("2 of 237 non-null values are not a float (first at line") == true)
    }

    @Test func raggedRowAndUnterminatedQuoteAreErrorsNamingTheLine() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile("ragged.csv", in: scratch, "a,b,c\n1,2,3\n4,5\n6,7,8\n")
        try writeFile("quote.csv", in: scratch, "a,b\n1,x\n2,y\n3,\"never closed\n4,z\n")
        try writeFile("good.csv", in: scratch, "a,b\n1,x\n2,y\n")
        try writeFile(
            "runner.toml", in: scratch,
            """
            [[data]]
            name = "ragged"
            file = "ragged.csv"
            [data.columns.a]
            type = "int"
            [data.columns.b]
            nullable = false

            [[data]]
            name = "quote"
            file = "quote.csv"
            [data.columns.a]
            type = "int"

            [[data]]
            name = "good"
            file = "good.csv"
            [data.columns.a]
            type = "int"
            increasing = true
            """)
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["--json", path.path], cwd: scratch)
        #expect(result.exitCode == 1, "\(result)")
        let tests = try report(path)
        for name in ["ragged::a::type", "ragged::b::not_null"] {
            #expect(tests[name]?["outcome"] as? String == "error")
            #expect(tests[name]?["message"] as? String == "ragged.csv: line 3, column 1: expected 3 fields (as in the header), found 2")
        }
        #expect(tests["quote::a::type"]?["outcome"] as? String == "error")
        #expect(
            tests["quote::a::type"]?["message"] as? String == "quote.csv: line 4, column 3: unterminated quoted field (it starts here and never ends)"
        )
        #expect(tests["good::a::type"]?["outcome"] as? String == "passed")
        #expect(tests["good::a::increasing"]?["outcome"] as? String == "passed")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func jsonLinesMostlyMissingColumnsAndLeakageAgainstAnotherFile() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var lines = ""
        for i in 0..<100 {
            let score = i < 3 ? "null" : (i == 50 ? "1.5" : "0.\(i)")
            lines += "{\"id\": \(i), \"score\": \(score), \"tag\": \"t\\u00e9\(i % 3)\", \"extra\": [1, {\"x\": 2}]}\n"
        }
        try writeFile("rows.jsonl", in: scratch, lines)
        try writeFile("holdout.csv", in: scratch, "id\n7\n70\n700\n")
        try writeFile(
            "runner.toml", in: scratch,
            """
            [[data]]
            name = "j"
            file = "rows.jsonl"
            [data.columns.score]
            type = "float"
            max = 1.0
            mostly = 0.98
            [data.columns.tag]
            in = ["té0", "té1", "té2"]
            [data.columns.missing]
            type = "int"
            [data.table]
            leakage = { key = "id", against = "holdout.csv" }
            columns_exactly = true
            """)
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["--json", path.path], cwd: scratch)
        #expect(result.exitCode == 1, "\(result)")
        let tests = try report(path)
        // 1 of 97 non-null scores is above 1: 98.97 % fine passes mostly = 0.98.
        #expect(tests["j::score::between"]?["outcome"] as? String == "passed")
        #expect(unexpectedCount(tests["j::score::between"]) == 1)
        #expect(tests["j::tag::in"]?["outcome"] as? String == "passed")
        #expect(tests["j::missing::type"]?["outcome"] as? String == "failed")
        #expect((tests["j::missing::type"]?["message"] as? String)?.hasPrefix("column 'missing' not in rows.jsonl") == true)
        #expect(tests["j::id::leakage"]?["outcome"] as? String == "failed")
        #expect(unexpectedCount(tests["j::id::leakage"]) == 2)
        #expect(tests["j::columns_exactly"]?["outcome"] as? String == "failed")
        #expect(tests["j::columns_exactly"]?["message"] as? String == "unexpected columns 'id', 'extra'; missing column 'missing'")
    }

    @Test func theDataFileSelectsItsSuiteUnderChanged() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile(
            "runner.toml", in: scratch,
            """
            [[data]]
            name = "d"
            file = "data/t[1].csv"
            [data.columns.a]
            type = "int"
            """)
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("data"), withIntermediateDirectories: true)
        try writeFile("data/t[1].csv", in: scratch, "a\n1\n")
        let git = try #require(findOnPath("git"))
        for args in [
            ["init", "-q"], ["-c", "user.name=t", "-c", "user.email=t@t", "add", "."],
            ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
        ] {
            _ = try await runProcess(git, args: args, cwd: scratch)
        }
        let clean = try await runMLRun(args: ["--changed", "--collect-only", "-q"], cwd: scratch)
        #expect(clean.exitCode == 5, "\(clean)")
        #expect(clean.stdout.contains("0 tests collected, 1 deselected"), "\(clean)")
        try writeFile("data/t[1].csv", in: scratch, "a\n1\n2\n")
        let edited = try await runMLRun(args: ["--changed", "--collect-only", "-q"], cwd: scratch)
        #expect(edited.exitCode == 0, "\(edited)")
        #expect(edited.stdout.hasPrefix("d::a::type\n1 test collected"), "\(edited)")
    }
}
