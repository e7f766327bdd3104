import Foundation
import Testing

/// End-to-end: the built-in `[[roundtrip]]` plugin through the binary (issue 12): pickle-based
/// files are scanned and never unpickled, and the example's known defect fails exactly the
/// check that should catch it.
@Suite struct RoundtripTests {
    let pickles = repositoryRoot.appendingPathComponent("Tests/MLRunTensorsTests/Fixtures/pickle")

    func report(_ url: URL) throws -> [String: [String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (root["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    /// Runs one `[[roundtrip]]` suite per artifact (named by the file's stem) in `folder`.
    func run(_ artifacts: [URL], in folder: URL) async throws -> (ProcessResult, [String: [String: Any]]) {
        let config = artifacts.map { "[[roundtrip]]\nname = \"\($0.deletingPathExtension().lastPathComponent)\"\nartifact = \"\($0.path)\"\n" }
        try writeFile("runner.toml", in: folder, config.joined(separator: "\n"))
        let result = try await runMLRun(args: ["--json", "r.json", "-q"], cwd: folder)
        return (result, try report(folder.appendingPathComponent("r.json")))
    }

    @Test func aCheckpointOfOnlyTensorsPassesTheScan() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, tests) = try await run([pickles.appendingPathComponent("state_dict.pt")], in: folder)
        #expect(result.exitCode == 0, "\(result)")
        #expect(tests.keys.sorted() == ["state_dict::dead_tensors", "state_dict::finite", "state_dict::parse", "state_dict::pickle_scan"])
        let scan = try #require(tests["state_dict::pickle_scan"])
        #expect(scan["outcome"] as? String == "passed")
        let globals = (scan["values"] as? [String: Any])?["globals"] as? [String]
        #expect(globals == ["collections.OrderedDict", "torch.FloatStorage", "torch.LongStorage", "torch._utils._rebuild_tensor_v2"])
    }

    @Test(arguments: [
        ("os_system.pt", "os.system", 190), ("builtins_eval.pkl", "builtins.eval", 10), ("subprocess_popen.pth", "subprocess.Popen", -1),
    ])
    func aDangerousImportFailsNamingTheGlobal(file: String, global: String, offset: Int) async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = (file as NSString).deletingPathExtension
        let (result, tests) = try await run([pickles.appendingPathComponent(file)], in: folder)
        #expect(result.exitCode == 1, "\(result)")
        let scan = try #require(tests["\(name)::pickle_scan"])
        #expect(scan["outcome"] as? String == "failed")
        let message = scan["message"] as? String ?? ""
        #expect(message.contains("global '\(global)' is outside PyTorch's weights_only allowlist"), "\(message)")
        if offset >= 0 { #expect(message.contains("at byte \(offset): global"), "\(message)") }
        // The tensors are not read either: the file never gets past its imports.
        #expect(tests["\(name)::parse"]?["outcome"] as? String == "failed")
    }

    /// A pickle whose load would create a file: mlrun scans it, fails it, and the file never
    /// appears. Python's own `pickle.load` of the same bytes then creates it, which proves the
    /// payload was live.
    @Test func aPlantedPayloadNeverRuns() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("pwned").path
        // Protocol 0: GLOBAL builtins.eval, MARK, UNICODE "open(<target>, 'w')", TUPLE, REDUCE, STOP.
        let payload = "cbuiltins\neval\n(Vopen('\(target)', 'w')\ntR."
        let evil = try writeFile("model.pkl", in: folder, payload)

        let (result, tests) = try await run([evil], in: folder)
        #expect(result.exitCode == 1, "\(result)")
        let message = tests["model::pickle_scan"]?["message"] as? String ?? ""
        #expect(message.contains("model.pkl: at byte 0: global 'builtins.eval'"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: target), "mlrun must never unpickle")

        guard let python = findOnPath("python3") else { return }
        let loaded = try await runProcess(python, args: ["-c", "import pickle, sys; pickle.load(open(sys.argv[1], 'rb'))", evil.path], cwd: folder)
        #expect(loaded.exitCode == 0, "\(loaded)")
        #expect(FileManager.default.fileExists(atPath: target), "the payload should be live when unpickled")
    }

    /// The example's deliberate defect (a save that drops fc2.weight, loaded non-strictly):
    /// the artifact's checks pass, and only the round trip fails, naming the lost tensor.
    @Test func theDroppedLayerExampleFailsOnlyTheRoundTrip() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let json = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(
            args: ["-m", "known_defect", "-k", "churn-mlp-dropped-layer", "--json", json.path, "-q"], cwd: repositoryRoot)
        #expect(result.exitCode == 1, "\(result)")
        let tests = try report(json)
        let outcomes = tests.mapValues { $0["outcome"] as? String ?? "" }
        #expect(
            outcomes == [
                "churn-mlp-dropped-layer::parse": "passed", "churn-mlp-dropped-layer::finite": "passed",
                "churn-mlp-dropped-layer::dead_tensors": "passed", "churn-mlp-dropped-layer::roundtrip": "failed",
            ])
        let message = tests["churn-mlp-dropped-layer::roundtrip"]?["message"] as? String ?? ""
        #expect(message.contains("the saved file lacks 'fc2.weight' (F32 [1, 16])"), "\(message)")
    }

    /// `mlrun model-helper` prints the helper that model programs import, byte for byte.
    @Test func modelHelperPrintsThePythonHelper() async throws {
        let result = try await runMLRun(args: ["model-helper"], cwd: repositoryRoot)
        #expect(result.exitCode == 0, "\(result)")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("python/mlrun_model.py"), encoding: .utf8)
        #expect(result.stdout == file)
    }
}
