import Foundation
import Testing

/// End-to-end: `mlrun snapshot` and the built-in `[[drift]]` plugin through the binary (issue 7).
@Suite struct DriftTests {
    func report(_ url: URL) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (root["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    /// 300 reference rows; the current file shifts `x` by one standard deviation.
    func writeData(in folder: URL) throws {
        var reference = "x,y,kind\n", current = "x,y,kind\n"
        for i in 0..<300 {
            let base = Double((i * 37) % 100) / 10
            reference += "\(base),\(i % 7),\(["a", "b", "c"][i % 3])\n"
            current += "\(base + 3),\(i % 7),\(["a", "b", "c"][(i / 2) % 3])\n"
        }
        try writeFile("ref.csv", in: folder, reference)
        try writeFile("cur.csv", in: folder, current)
    }

    @Test func snapshotThenDriftAgainstItEqualsDriftAgainstTheFile() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeData(in: folder)
        let made = try await runMLRun(args: ["snapshot", "ref.csv", "-o", "snap/ref.json", "--seed", "5"], cwd: folder)
        #expect(made.exitCode == 0, "\(made)")
        #expect(made.stdout == "wrote ref.json: 3 columns (2 numeric, 1 categorical) of 300 rows\n")
        let config = """
            [[drift]]
            name = "d"
            reference = "REF"
            current = "cur.csv"
            method = ["ks", "psi", "wasserstein", "zscore", "chi2"]
            correction = "bh"

            """
        try writeFile("runner.toml", in: folder, config.replacingOccurrences(of: "REF", with: "ref.csv"))
        let fileRun = try await runMLRun(args: ["--json", "file.json", "-q"], cwd: folder)
        #expect(fileRun.exitCode == 1, "\(fileRun)")
        try writeFile("runner.toml", in: folder, config.replacingOccurrences(of: "REF", with: "snap/ref.json"))
        let snapshotRun = try await runMLRun(args: ["--json", "snap.json", "-q", "-n", "2"], cwd: folder)
        #expect(snapshotRun.exitCode == 1, "\(snapshotRun)")
        let a = try report(folder.appendingPathComponent("file.json")), b = try report(folder.appendingPathComponent("snap.json"))
        #expect(
            a.keys.sorted() == [
                "d::kind::chi2", "d::kind::psi", "d::x::ks", "d::x::psi", "d::x::wasserstein", "d::x::zscore",
                "d::y::ks", "d::y::psi", "d::y::wasserstein", "d::y::zscore",
            ])
        #expect(a.keys.sorted() == b.keys.sorted())
        for (id, test) in a {
            #expect(test["outcome"] as? String == b[id]?["outcome"] as? String, "\(id)")
            let values = try #require(test["values"] as? [String: Any])
            let other = try #require(b[id]?["values"] as? [String: Any])
            for key in ["statistic", "p_value", "p_value_adjusted"] where values[key] != nil {
                #expect(values[key] as? Double == other[key] as? Double, "\(id) \(key)")
            }
        }
        #expect(a["d::x::ks"]?["outcome"] as? String == "failed")
        #expect(a["d::y::ks"]?["outcome"] as? String == "passed")
        #expect(a["d::kind::chi2"]?["outcome"] as? String == "passed")
    }

    @Test func snapshotUsageErrors() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeData(in: folder)
        let missing = try await runMLRun(args: ["snapshot", "nope.csv", "-o", "r.json"], cwd: folder)
        #expect(missing.exitCode == 4)
        #expect(missing.stderr == "mlrun: error: no readable file nope.csv\n")
        let notJSON = try await runMLRun(args: ["snapshot", "ref.csv", "-o", "r.txt"], cwd: folder)
        #expect(notJSON.exitCode == 4)
        #expect(notJSON.stderr.contains("the snapshot must be a .json file"), "\(notJSON)")
        try writeFile("bad.csv", in: folder, "x,y\n1,2\n3\n")
        let ragged = try await runMLRun(args: ["snapshot", "bad.csv", "-o", "r.json"], cwd: folder)
        #expect(ragged.exitCode == 4)
        #expect(ragged.stderr.contains("bad.csv: line 3"), "\(ragged)")
        let column = try await runMLRun(args: ["snapshot", "ref.csv", "-o", "r.json", "--columns", "x,zz"], cwd: folder)
        #expect(column.exitCode == 4)
        #expect(column.stderr.contains("ref.csv: no column 'zz' (its columns: x, y, kind)"), "\(column)")
    }
}
