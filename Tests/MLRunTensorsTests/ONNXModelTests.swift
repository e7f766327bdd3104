import Foundation
import Testing

@testable import MLRunTensors

/// The models `scripts/fixtures/make_onnx_fixtures.py` wrote with the `onnx` package, and their
/// initializers as `onnx.numpy_helper.to_array` reads them (`expected.json`).
enum ONNXFixtures {
    static let folder: URL =
        Bundle.module.resourceURL?
        .appending(path: "Fixtures/onnx", directoryHint: .isDirectory) ?? URL(fileURLWithPath: "/nonexistent")

    struct ExpectedTensor: Decodable {
        var name: String
        var dtype: String
        var shape: [Int]
        var hex: String
    }

    static func expected(_ model: String) throws -> [ExpectedTensor] {
        let data = try Data(contentsOf: folder.appending(path: "expected.json"))
        let all = try JSONDecoder().decode([String: [ExpectedTensor]].self, from: data)
        return try #require(all[model])
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The message of the error `body` throws, or `nil` when it throws none.
    static func message(_ body: () throws(TensorFileError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.description
        }
    }
}

@Suite struct ONNXModelTests {
    private func checkInitializers(_ model: String) throws {
        let read = try ONNXModel(contentsOf: ONNXFixtures.folder.appending(path: model), source: model)
        let expected = try ONNXFixtures.expected(model)
        #expect(read.initializers.map(\.name) == expected.map(\.name))
        for (tensor, want) in zip(read.initializers, expected) {
            #expect(tensor.dtype.rawValue == want.dtype, "\(tensor.name)")
            #expect(tensor.shape == want.shape, "\(tensor.name)")
            #expect(ONNXFixtures.hex(tensor.bytes) == want.hex, "\(tensor.name)")
        }
    }

    @Test func initializersOfEveryStorageReadAsOnnxReadsThem() throws {
        try checkInitializers("small.onnx")
    }

    @Test func aScikitLearnModelConvertedBySkl2onnxReads() throws {
        try checkInitializers("mlp_regressor.onnx")
        let model = try ONNXModel(contentsOf: ONNXFixtures.folder.appending(path: "mlp_regressor.onnx"), source: "mlp.onnx")
        #expect(model.producer.hasPrefix("skl2onnx"))
        #expect(model.inputs.first?.shape == [.unknown, .value(4)])
    }

    @Test func inputsOutputsOpsetsAndMetadata() throws {
        let model = try ONNXModel(contentsOf: ONNXFixtures.folder.appending(path: "small.onnx"), source: "small.onnx")
        #expect(model.inputs.map(\.name) == ["x", "mask"])
        #expect(model.inputs[0].elementType == "FLOAT")
        #expect(model.inputs[0].dtype == .float32)
        #expect(model.inputs[0].shape == [.parameter("batch"), .value(3)])
        #expect(model.inputs[1].dtype == .bool)
        #expect(model.inputs[1].shape == [.value(4), .unknown])
        #expect(model.outputs.map(\.name) == ["y"])
        #expect(model.outputs[0].shape == [.parameter("batch"), .value(2)])
        #expect(model.operatorSets == [.init(domain: "", version: 17), .init(domain: "ai.onnx.ml", version: 3)])
        #expect(model.skippedInitializers.isEmpty)

        let file = try TensorFile.open(ONNXFixtures.folder.appending(path: "small.onnx"), source: "small.onnx")
        #expect(file.format == .onnx)
        #expect(file.metadata == ["author": "mlrun", "purpose": "fixture"])
        #expect(file.tensor(named: "scalar_i64_raw")?.shape == [])
    }

    @Test func externalDataInsideTheFolderIsMapped() throws {
        try checkInitializers("external/inside.onnx")
        let model = try ONNXModel(contentsOf: ONNXFixtures.folder.appending(path: "external/inside.onnx"), source: "inside.onnx")
        #expect(model.initializers.first?.byteRange == 8..<24)
    }

    @Test(arguments: [
        ("parent.onnx", "inside.onnx: tensor 'w': external data location '../secret.bin' has a '..' component"),
        ("dotdot_inside.onnx", "inside.onnx: tensor 'w': external data location 'sub/../weights.bin' has a '..' component"),
        ("absolute.onnx", "inside.onnx: tensor 'w': external data location '/tmp/mlrun-onnx-secret.bin' is an absolute path"),
        ("missing.onnx", "inside.onnx: tensor 'w': external data location 'missing.bin' names no readable file"),
        ("past_end.onnx", "inside.onnx: tensor 'w': external data of 16 bytes at offset 16 runs past the end of 'weights.bin' (24 bytes)"),
        ("whole_file_wrong_size.onnx", "inside.onnx: tensor 'w': external data holds 24 bytes; dims [4] of FLOAT need 16"),
    ])
    func externalDataOutsideTheFolderOrTheFileIsAnError(model: String, message: String) {
        let url = ONNXFixtures.folder.appending(path: "external/\(model)")
        let error = ONNXFixtures.message { () throws(TensorFileError) in _ = try ONNXModel(contentsOf: url, source: "inside.onnx") }
        #expect(error?.hasPrefix(message) == true, "\(error ?? "no error")")
    }

    @Test func aSymlinkLeadingOutOfTheFolderIsAnError() throws {
        let base = FileManager.default.temporaryDirectory.appending(path: "mlrun-onnx-\(UUID().uuidString)")
        let folder = base.appending(path: "model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data(count: 24).write(to: base.appending(path: "outside.bin"))
        try FileManager.default.createSymbolicLink(
            at: folder.appending(path: "weights.bin"), withDestinationURL: base.appending(path: "outside.bin"))
        try FileManager.default.copyItem(
            at: ONNXFixtures.folder.appending(path: "external/inside.onnx"), to: folder.appending(path: "model.onnx"))
        let error = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try ONNXModel(contentsOf: folder.appending(path: "model.onnx"), source: "model.onnx")
        }
        #expect(error?.contains("external data location 'weights.bin' resolves to") == true, "\(error ?? "no error")")
        #expect(error?.contains("outside the model's folder") == true)
    }

    @Test func truncatedOrGarbageFilesAreErrors() throws {
        let truncated = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try ONNXModel(contentsOf: ONNXFixtures.folder.appending(path: "truncated.onnx"), source: "truncated.onnx")
        }
        #expect(truncated?.hasPrefix("truncated.onnx: not a valid ONNX model") == true, "\(truncated ?? "no error")")

        let url = FileManager.default.temporaryDirectory.appending(path: "mlrun-onnx-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: url) }
        for garbage in [[UInt8](), [0xFF, 0xFF, 0xFF], Array("hello, world: not protobuf".utf8), [0x08, 0x07]] {
            try Data(garbage).write(to: url)
            let error = ONNXFixtures.message { () throws(TensorFileError) in _ = try TensorFile.open(url, source: "bad.onnx") }
            #expect(error?.hasPrefix("bad.onnx: not") == true, "\(garbage): \(error ?? "no error")")
        }
        // Every prefix of a valid model either reads or throws; none traps.
        let whole = try [UInt8](Data(contentsOf: ONNXFixtures.folder.appending(path: "small.onnx")))
        for length in stride(from: 0, to: whole.count, by: 7) {
            try Data(whole[..<length]).write(to: url)
            _ = try? ONNXModel(contentsOf: url, source: "cut.onnx")
        }
    }
}
