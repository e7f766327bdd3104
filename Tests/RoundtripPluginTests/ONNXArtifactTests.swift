import Foundation
import MLRunCore
import MLRunTestSupport
import ONNXSchema
import SwiftProtobuf
import Testing

@testable import RoundtripPlugin

/// The example's ONNX model (examples/churn-model, scikit-learn's MLPClassifier converted by
/// skl2onnx) is read, and one changed initializer value is caught against the original.
@Suite struct ONNXArtifactTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/churn-model/models/churn_sklearn.onnx")

    /// Runs `[[roundtrip]]` with `artifact` against the example as the reference.
    static func run(artifact: URL) async throws -> SuiteHarness.Run {
        let folder = try SuiteHarness.folder([
            "runner.toml": """
            [[roundtrip]]
            name = "onnx"
            artifact = "\(artifact.path)"
            reference = "\(example.path)"
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await SuiteHarness.run(RoundtripPlugin(), folder.appendingPathComponent("runner.toml"))
    }

    @Test func theExampleReadsAndEqualsItself() async throws {
        let run = try await Self.run(artifact: Self.example)
        for id in run.ids where id != "onnx::tied_weights" {
            #expect(run.tests[id]?.outcome == .passed, "\(id): \(run.tests[id]?.message ?? "")")
        }
        // coefficient, intercepts, coefficient1, intercepts1, unity, classes, shape_tensor.
        #expect(run.tests["onnx::parse"]?.number("tensors") == 7)
        #expect(run.tests["onnx::values"]?.number("mismatched") == 0)
    }

    @Test func aModifiedInitializerFailsValuesNamingItAndTheIndex() async throws {
        var model = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: Self.example))
        let index = try #require(model.graph.initializer.firstIndex { $0.name == "coefficient" })
        #expect(model.graph.initializer[index].dims == [10, 8])
        // Element [1, 5] of the first layer's weights, nudged by one part in a thousand: well
        // past bit-identity, and a change no shape, dtype or name check can see.
        model.graph.initializer[index].floatData[13] *= 1.001
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let modified = folder.appendingPathComponent("modified.onnx")
        try Data(model.serializedBytes() as [UInt8]).write(to: modified)

        let run = try await Self.run(artifact: modified)
        #expect(run.tests["onnx::parse"]?.outcome == .passed)
        #expect(run.tests["onnx::same_tensors"]?.outcome == .passed)
        let values = try #require(run.tests["onnx::values"])
        #expect(values.outcome == .failed, "\(values.message)")
        #expect(values.message.hasPrefix("tensor 'coefficient': 1 of 80 elements differ from the reference (bit-identical)"), "\(values.message)")
        #expect(values.message.contains("at [1, 5]"))
        #expect(values.number("mismatched") == 1)
        #expect(values.values["tensor"] == .string("coefficient"))
        #expect(values.values["index"] == .array([.int(1), .int(5)]))
    }
}
