import Foundation
import MLRunCore
import MLRunProtocol
import MLRunTestSupport
import Testing

@testable import RoundtripPlugin

/// The real round trip through the model protocol catches each way a serializer goes wrong,
/// on its own: a NumPy MLP (Fixtures/models/mlp_server.py, served with mlrun's Python helper)
/// with one deliberate defect per run. The healthy model passes every test; each defect fails
/// `roundtrip` (or `save_twice`), and a program that dies, hangs, refuses or prints garbage gets
/// the outcome the model protocol promises, with its stderr.
@Suite(.serialized) struct RoundTripDefectTests {
    static func models() throws -> URL {
        try #require(Bundle.module.url(forResource: "models", withExtension: nil, subdirectory: "Fixtures"))
    }

    /// Runs one `[[roundtrip]]` suite over the served MLP with `defect`.
    static func run(defect: String, extra: String = "", program: String? = nil) async throws -> SuiteHarness.Run {
        let models = try models()
        let argv = program ?? "[\"python3\", \"\(models.path)/mlp_server.py\", \"--defect\", \"\(defect)\"]"
        let folder = try SuiteHarness.folder([
            "runner.toml": """
            [[roundtrip]]
            name = "mlp"
            artifact = "\(models.path)/trained.npz"
            model = \(argv)
            inputs = { x = "\(models.path)/inputs.npy" }
            save_as = "model.npz"
            \(extra)
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await SuiteHarness.run(RoundtripPlugin(), folder.appendingPathComponent("runner.toml"))
    }

    @Test func theHealthyModelPassesEveryTest() async throws {
        let run = try await Self.run(defect: "none", extra: "save_twice = true")
        #expect(run.ids == ["mlp::parse", "mlp::finite", "mlp::dead_tensors", "mlp::roundtrip", "mlp::save_twice"])
        for id in run.ids {
            #expect(run.tests[id]?.outcome == .passed, "\(id): \(run.tests[id]?.message ?? "")")
        }
        #expect(run.tests["mlp::roundtrip"]?.number("mismatched") == 0)
        #expect(run.tests["mlp::roundtrip"]?.number("max_abs_diff") == 0)
    }

    @Test(arguments: ["dropped", "zeroed", "downcast", "stale", "memory"])
    func eachSerializerDefectFailsTheRoundTrip(defect: String) async throws {
        let run = try await Self.run(defect: defect)
        let roundtrip = try #require(run.tests["mlp::roundtrip"])
        #expect(roundtrip.outcome == .failed, "\(defect): \(roundtrip.message)")
        #expect(roundtrip.message.contains("predicted values changed after save and a load in a fresh process"))
        #expect((roundtrip.number("mismatched") ?? 0) > 0)
        #expect((roundtrip.number("max_abs_diff") ?? 0) > 0)
        #expect(roundtrip.values["index"] != nil)
        // Where the saved file's tensors differ from the artifact's, the message says how.
        let note: String? =
            switch defect {
            case "dropped": "the saved file lacks 'fc2.bias'"
            case "memory": "the saved file lacks 'scale'"
            case "downcast": "is F16 [8, 4] in the saved file, F32 [8, 4] in the artifact"
            default: nil
            }
        if let note { #expect(roundtrip.message.contains(note), "\(defect): \(roundtrip.message)") }
        // The static checks of the (healthy) artifact still pass: only the round trip is to blame.
        #expect(run.tests["mlp::parse"]?.outcome == .passed)
    }

    @Test func stateKeptOnlyInMemoryLooksFineInTheSameProcess() async throws {
        // The `memory` defect, driven by hand: load, predict, save, then load the saved file in
        // the SAME process and predict again. The two predictions agree, because the process
        // still holds what the file lacks; the suite's round trip, which loads in a fresh
        // process, fails (eachSerializerDefectFailsTheRoundTrip).
        let models = try Self.models()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let launch = ProgramLaunch(
            argv: ["python3", models.path + "/mlp_server.py", "--defect", "memory"], directory: folder,
            environment: ModelHelper.environment(adding: [:]))
        let session = ModelSession(launch: launch)
        func predict(_ name: String) -> String {
            JSONValue.object([
                ("op", .string("predict")), ("inputs", .object([("x", .string(models.path + "/inputs.npy"))])),
                ("output", .string(folder.appendingPathComponent(name).path)),
            ]).jsonText
        }
        let saved = folder.appendingPathComponent("saved.npz").path
        #expect(await session.request(#"{"op": "load", "path": "\#(models.path)/trained.npz"}"#, limit: 60) == .ok)
        #expect(await session.request(predict("a.npy"), limit: 60) == .ok)
        #expect(await session.request(#"{"op": "save", "path": "\#(saved)"}"#, limit: 60) == .ok)
        #expect(await session.request(#"{"op": "load", "path": "\#(saved)"}"#, limit: 60) == .ok)
        #expect(await session.request(predict("b.npy"), limit: 60) == .ok)
        await session.finish()
        let a = try Data(contentsOf: folder.appendingPathComponent("a.npy"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b.npy"))
        #expect(a == b)
    }

    @Test func twoSavesThatDifferFailSaveTwice() async throws {
        let run = try await Self.run(defect: "timestamp", extra: "save_twice = true")
        let test = try #require(run.tests["mlp::save_twice"])
        #expect(test.outcome == .failed)
        #expect(test.message.contains("two saves of the same model differ: first at byte"))
    }

    @Test func aRefusedSaveFailsWithTheModelsError() async throws {
        let run = try await Self.run(defect: "refuse")
        let test = try #require(run.tests["mlp::roundtrip"])
        #expect(test.outcome == .failed)
        #expect(test.message.contains("the model refused to save to"))
        #expect(test.message.contains("OSError: disk full (pretend)"))
    }

    @Test func aCrashDuringSaveIsCrashedWithTheSignal() async throws {
        let run = try await Self.run(defect: "crash")
        let test = try #require(run.tests["mlp::roundtrip"])
        #expect(test.outcome == .crashed)
        #expect(test.message.contains("killed by signal 9 (SIGKILL) while handling the request"))
    }

    @Test func aProgramThatDiesAtStartUpIsAnErrorWithItsStderr() async throws {
        let run = try await Self.run(defect: "startup")
        let test = try #require(run.tests["mlp::roundtrip"])
        #expect(test.outcome == .error)
        #expect(test.message.contains("died at start-up"))
        #expect(test.message.contains("exited with status 3"))
        #expect(test.message.contains("cannot find CUDA libraries (pretend)"))
    }

    @Test func aHangPastTheLimitIsATimeout() async throws {
        let run = try await Self.run(defect: "hang", extra: "timeout = 2")
        let test = try #require(run.tests["mlp::roundtrip"])
        #expect(test.outcome == .timeout)
        #expect(test.message.contains("did not answer within 2 s"))
    }

    @Test func aGarbageLineIsAProtocolError() async throws {
        let run = try await Self.run(defect: "", program: "[\"\(try Self.models().path)/garbage.sh\"]")
        let test = try #require(run.tests["mlp::roundtrip"])
        #expect(test.outcome == .error)
        #expect(test.message.contains("protocol error from the model program"))
        #expect(test.message.contains("loading weights... done"))
    }

    @Test func printingToStdoutFromTheModelDoesNotBreakTheProtocol() async throws {
        let run = try await Self.run(defect: "chatty")
        #expect(run.tests["mlp::roundtrip"]?.outcome == .passed, "\(run.tests["mlp::roundtrip"]?.message ?? "")")
    }
}
