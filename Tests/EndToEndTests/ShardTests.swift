import Foundation
import Testing

/// End-to-end: `--shard`, CI variables, duration balance and `merge-reports` (issue 3).
@Suite struct ShardTests {
    /// A project with a command suite of `count` tests (`t000`…), `fail` of them failing.
    func project(count: Int, extra: [String] = []) throws -> URL {
        let folder = try makeTemporaryDirectory(prefix: "mlrun-shard")
        let names = (0..<count).map { String(format: "t%03d", $0) } + extra
        try writeFile(
            "plugin.py", in: folder,
            """
            import json, sys
            NAMES = [\(names.map { "\"\($0)\"" }.joined(separator: ", "))]
            if sys.argv[1] == "discover":
                for name in NAMES:
                    print(json.dumps({"id": name}))
                sys.exit(0)
            for line in iter(sys.stdin.readline, ""):
                tid = line.strip()
                print(json.dumps({"id": tid, "event": "start"}), flush=True)
                outcome = "failed" if tid.endswith("7") else "passed"
                print(json.dumps({"id": tid, "outcome": outcome, "message": "ends in 7" if outcome == "failed" else ""}), flush=True)
            """)
        try writeFile("runner.toml", in: folder, "[[command]]\nname = \"s\"\nrun = [\"python3\", \"plugin.py\"]\n")
        return folder
    }

    func selected(_ folder: URL, _ args: [String], environment: [String: String] = [:]) async throws -> (ids: [String], result: ProcessResult) {
        let path = folder.appendingPathComponent("plan-\(UUID().uuidString).json")
        let result = try await runMLRun(args: ["--collect-only", "--json", path.path] + args, cwd: folder, environment: environment)
        guard let data = try? Data(contentsOf: path),
            let report = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let tests = report["tests"] as? [[String: Any]]
        else { return ([], result) }
        return (tests.compactMap { $0["id"] as? String }, result)
    }

    /// Environment with every CI sharding variable cleared, so the host CI cannot interfere.
    let clean: [String: String] = [
        "MLRUN_SHARD": "", "CI_NODE_INDEX": "", "CI_NODE_TOTAL": "", "BUILDKITE_PARALLEL_JOB": "", "BUILDKITE_PARALLEL_JOB_COUNT": "",
        "CIRCLE_NODE_INDEX": "", "CIRCLE_NODE_TOTAL": "", "TEST_SHARD_INDEX": "", "TEST_TOTAL_SHARDS": "", "TEST_SHARD_STATUS_FILE": "",
    ]

    @Test(arguments: ["hash", "duration"])
    func shardsAreDisjointAndCoverTheSelection(strategy: String) async throws {
        let folder = try project(count: 60)
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = try await selected(folder, [], environment: clean).ids
        #expect(all.count == 60)
        var union: [String] = []
        for k in 1...4 {
            let (ids, result) = try await selected(folder, ["--shard", "\(k)/4", "--shard-by", strategy], environment: clean)
            #expect(!ids.isEmpty, "shard \(k) is empty: \(result)")
            #expect(result.stdout.contains("shard \(k)/4 by \(strategy) of 60 selected tests"))
            union += ids
        }
        #expect(union.count == 60, "shards overlap")
        #expect(Set(union) == Set(all))
    }

    @Test func hashShardsDoNotMoveWhenOtherTestsComeAndGo() async throws {
        let small = try project(count: 40)
        let large = try project(count: 40, extra: ["new_a", "new_b", "new_c", "new_d", "new_e"])
        defer {
            try? FileManager.default.removeItem(at: small)
            try? FileManager.default.removeItem(at: large)
        }
        for k in 1...4 {
            let before = Set(try await selected(small, ["--shard", "\(k)/4"], environment: clean).ids)
            let after = Set(try await selected(large, ["--shard", "\(k)/4"], environment: clean).ids)
            #expect(before.isSubset(of: after), "shard \(k) lost tests when others were added")
            #expect(after.subtracting(before).allSatisfy { $0.hasPrefix("s::new_") })
        }
    }

    @Test func durationShardsBalanceSkewedStoredDurations() async throws {
        let folder = try project(count: 40)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Skewed: a few tests ten times longer than the rest.
        var durations: [String: Double] = [:]
        for i in 0..<40 { durations[String(format: "s::t%03d", i)] = i % 9 == 0 ? 10.0 : 1.0 + Double(i % 5) * 0.25 }
        let text = "{\"version\": 1, \"durations\": {" + durations.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}}"
        try writeFile(".mlrun/durations.json", in: folder, text)
        var loads: [Double] = []
        for k in 1...4 {
            let ids = try await selected(folder, ["--shard", "\(k)/4", "--shard-by", "duration"], environment: clean).ids
            loads.append(ids.reduce(0) { $0 + (durations[$1] ?? 0) })
        }
        let mean = loads.reduce(0, +) / 4
        #expect(loads.max()! <= mean * 1.15, "loads \(loads), mean \(mean)")
        #expect(loads.allSatisfy { $0 > 0 })
    }

    /// Each CI's convention gives the same shard as the explicit `--shard`.
    @Test(arguments: [
        (["MLRUN_SHARD": "2/4"], "MLRUN_SHARD"),
        (["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"], "CI_NODE_INDEX/CI_NODE_TOTAL"),
        (["BUILDKITE_PARALLEL_JOB": "1", "BUILDKITE_PARALLEL_JOB_COUNT": "4"], "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT"),
        (["CIRCLE_NODE_INDEX": "1", "CIRCLE_NODE_TOTAL": "4"], "CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL"),
        (["TEST_SHARD_INDEX": "1", "TEST_TOTAL_SHARDS": "4"], "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS"),
    ])
    func ciVariablesSelectTheSecondOfFourShards(variables: [String: String], named: String) async throws {
        let folder = try project(count: 40)
        defer { try? FileManager.default.removeItem(at: folder) }
        let explicit = try await selected(folder, ["--shard", "2/4"], environment: clean).ids
        var environment = clean.merging(variables) { _, new in new }
        let status = folder.appendingPathComponent("bazel-status")
        if variables["TEST_SHARD_INDEX"] != nil { environment["TEST_SHARD_STATUS_FILE"] = status.path }
        let (ids, result) = try await selected(folder, [], environment: environment)
        #expect(ids == explicit, "\(result)")
        #expect(result.stdout.contains("shard 2/4 by hash of 40 selected tests (from \(named))"), "\(result.stdout)")
        if variables["TEST_SHARD_INDEX"] != nil {
            #expect(FileManager.default.fileExists(atPath: status.path), "Bazel's shard status file is touched")
        }
    }

    @Test func badShardValuesAreUsageErrors() async throws {
        let folder = try project(count: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let explicit = try await selected(folder, ["--shard", "5/4"], environment: clean).result
        #expect(explicit.exitCode == 4)
        #expect(explicit.stderr.contains("5/4"), "\(explicit)")
        let gitlab = try await selected(folder, [], environment: clean.merging(["CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"]) { _, new in new }).result
        #expect(gitlab.exitCode == 4)
        #expect(gitlab.stderr.contains("CI_NODE_INDEX"), "\(gitlab)")
    }

    @Test func mergedShardReportsEqualTheUnshardedRun() async throws {
        let folder = try project(count: 50)
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = folder.appendingPathComponent("whole.json")
        _ = try await runMLRun(args: ["--seed", "5", "--json", whole.path], cwd: folder, environment: clean)
        var shards: [String] = []
        for k in 1...4 {
            let path = folder.appendingPathComponent("shard-\(k).json").path
            let result = try await runMLRun(args: ["--seed", "5", "--shard", "\(k)/4", "--json", path], cwd: folder, environment: clean)
            // Tests whose names end in 7 fail; a shard holding one exits 1, any other 0.
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            let holdsFailure = (report["tests"] as! [[String: Any]]).contains { ($0["id"] as! String).hasSuffix("7") }
            #expect(result.exitCode == (holdsFailure ? 1 : 0), "\(result)")
            shards.append(path)
        }
        let merged = folder.appendingPathComponent("merged.json")
        let junit = folder.appendingPathComponent("merged.xml")
        let merge = try await runMLRun(args: ["merge-reports"] + shards.reversed() + ["-o", merged.path, "--junit-xml", junit.path], cwd: folder)
        #expect(merge.exitCode == 0, "\(merge)")
        func outcomes(_ url: URL) throws -> [String: String] {
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            return Dictionary(uniqueKeysWithValues: (report["tests"] as! [[String: Any]]).map { ($0["id"] as! String, $0["outcome"] as! String) })
        }
        #expect(try outcomes(merged) == outcomes(whole))
        #expect(try outcomes(merged).count == 50)
        #expect(FileManager.default.fileExists(atPath: junit.path))

        // Shards of another selection are refused.
        let other = folder.appendingPathComponent("other.json")
        _ = try await runMLRun(args: ["--seed", "5", "--shard", "1/4", "-k", "t01", "--json", other.path], cwd: folder, environment: clean)
        let refused = try await runMLRun(args: ["merge-reports", other.path] + shards.dropFirst() + ["-o", merged.path], cwd: folder)
        #expect(refused.exitCode == 4)
        #expect(refused.stderr.contains("different selection"), "\(refused)")
        let missing = try await runMLRun(args: ["merge-reports"] + shards.dropLast() + ["-o", merged.path], cwd: folder)
        #expect(missing.exitCode == 4)
        #expect(missing.stderr.contains("4"), "\(missing)")
    }
}
