import Foundation
import Testing

/// End-to-end: the built-in `[[quality]]` plugin through the `mlrun` binary (issue 6).
@Suite struct QualityTests {
    static let predictions = """
        y,p,device
        1,0.9,a
        1,0.8,a
        0,0.3,a
        0,0.6,a
        1,0.7,b
        0,0.2,b
        1,0.55,a
        1,0.4,b
        0,0.1,a
        0,0.45,b

        """

    static let config = """
        [[quality]]
        name = "m"
        predictions = "p.csv"
        label = "y"
        score = "p"
        segments = ["device"]
        baseline = "baselines/m.json"
        tolerance = 0.01
        [quality.gates]
        accuracy = { min = 0.75 }
        roc_auc = { min = 0.7 }

        """

    func report(_ url: URL) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (root["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    @Test func baselineRegressionFailsUntilUpdateBaselinesUnderWorkers() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFile("p.csv", in: folder, Self.predictions)
        try writeFile("runner.toml", in: folder, Self.config)
        try writeFile("baselines/m.json", in: folder, "{\"accuracy\": 0.9, \"roc_auc\": 0.88}\n")
        let json = folder.appendingPathComponent("r.json")

        let first = try await runMLRun(args: ["-n", "2", "--json", json.path, "-q"], cwd: folder)
        #expect(first.exitCode == 1, "\(first)")
        var tests = try report(json)
        #expect(
            tests.keys.sorted() == [
                "m::accuracy", "m::accuracy::vs_baseline", "m::accuracy[device=a]", "m::accuracy[device=b]",
                "m::roc_auc", "m::roc_auc::vs_baseline", "m::roc_auc[device=a]", "m::roc_auc[device=b]",
            ])
        #expect(tests["m::accuracy::vs_baseline"]?["outcome"] as? String == "failed")
        #expect(tests["m::roc_auc::vs_baseline"]?["outcome"] as? String == "passed")
        let values = try #require(tests["m::accuracy::vs_baseline"]?["values"] as? [String: Any])
        #expect(values["value"] as? Double == 0.8)
        #expect(values["baseline"] as? Double == 0.9)
        #expect(tests["m::accuracy"]?["markers"] as? [String] == ["quality"])

        let update = try await runMLRun(args: ["--update-baselines", "-n", "2", "-q"], cwd: folder)
        #expect(update.exitCode == 0, "\(update)")
        let baseline = try String(contentsOf: folder.appendingPathComponent("baselines/m.json"), encoding: .utf8)
        #expect(baseline.contains("\"accuracy\": 0.8,"), "\(baseline)")
        #expect(baseline.contains("\"written_by\": \"mlrun --update-baselines\""))

        let again = try await runMLRun(args: ["--json", json.path, "-q"], cwd: folder)
        #expect(again.exitCode == 0, "\(again)")
        tests = try report(json)
        #expect(tests["m::accuracy::vs_baseline"]?["outcome"] as? String == "passed")
    }

    @Test func configErrorsNameTheLineAndColumn() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFile("p.csv", in: folder, Self.predictions)
        try writeFile("runner.toml", in: folder, Self.config.replacingOccurrences(of: "roc_auc = { min = 0.7 }", with: "roc_auk = { min = 0.7 }"))
        let result = try await runMLRun(args: ["-q"], cwd: folder)
        #expect(result.exitCode == 4, "\(result)")
        #expect(result.stderr.contains("runner.toml:11:1: unknown metric 'roc_auk' in [quality.gates]"), "\(result.stderr)")
    }

    @Test func aMissingBaselineIsASuiteErrorWithTheFix() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFile("p.csv", in: folder, Self.predictions)
        try writeFile("runner.toml", in: folder, Self.config)
        let result = try await runMLRun(args: [], cwd: folder)
        #expect(result.exitCode == 1, "\(result)")
        #expect(
            result.stdout.contains("baseline baselines/m.json does not exist; write it from this run's values with: mlrun --update-baselines m::"),
            "\(result)")
    }
}
