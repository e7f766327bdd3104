import Foundation
import MLRunOracles
import Testing

@testable import MLRunTensors

@Suite struct SafetensorsWriterTests {
    /// Re-encoding what a file holds gives its bytes back: the committed files were written by
    /// `safetensors.numpy.save_file` / `serialize_file`, each with at most one metadata key.
    @Test(arguments: ["numpy_dtypes.safetensors", "shapes.safetensors", "raw_dtypes.safetensors", "summary.safetensors"])
    func reencodingAReferenceFileGivesItsBytes(_ name: String) throws {
        let url = try SafetensorsFixtures.folder.appending(path: name)
        let file = try TensorFile.open(url, source: name)
        let written = try SafetensorsWriter.encode(file.tensors, metadata: file.metadata.isEmpty ? nil : file.metadata)
        #expect(written == Array(try Data(contentsOf: url)))
    }

    @Test func aWrittenFileReadsBack() throws {
        let tensors = [
            Tensor(name: "w", dtype: .float32, shape: [2], holding: [0, 0, 128, 63, 0, 0, 0, 64]),
            Tensor(name: "b\"\n\u{1}é", dtype: .bfloat16, shape: [1], holding: [0x80, 0x3F]),
            Tensor(name: "z", dtype: .float4, shape: [2, 0], holding: []),
            Tensor(name: "s", dtype: .int64, shape: [], holding: [7, 0, 0, 0, 0, 0, 0, 0]),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-write-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsWriter.write(tensors, metadata: ["b": "2", "a": "1\t"], to: url)
        let bytes = try Data(contentsOf: url)
        let read = try TensorFile.open(url, source: "w.safetensors")
        #expect(read.metadata == ["a": "1\t", "b": "2"])
        // Widest dtype first, then by name.
        #expect(read.tensors.map(\.name) == ["s", "w", "b\"\n\u{1}é", "z"])
        for tensor in tensors {
            let back = try #require(read.tensor(named: tensor.name))
            #expect(back.dtype == tensor.dtype)
            #expect(back.shape == tensor.shape)
            #expect(Array(back.bytes) == Array(tensor.bytes))
        }
        #expect(read.tensor(named: "b\"\n\u{1}é")?.double(at: 0) == 1)
        let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        #expect(bytes[8 + headerLength - 1] == UInt8(ascii: " ") || bytes[8 + headerLength - 1] == UInt8(ascii: "}"))
    }

    @Test func inconsistentTensorsAreRefused() {
        #expect(throws: TensorFileError.self) {
            try SafetensorsWriter.encode([Tensor(name: "a", dtype: .float32, shape: [2], holding: [0, 0, 0, 0])])
        }
        #expect(throws: TensorFileError.self) {
            try SafetensorsWriter.encode([
                Tensor(name: "a", dtype: .uint8, shape: [1], holding: [0]), Tensor(name: "a", dtype: .uint8, shape: [1], holding: [0]),
            ])
        }
        #expect(throws: TensorFileError.self) {
            try SafetensorsWriter.encode([Tensor(name: "__metadata__", dtype: .uint8, shape: [1], holding: [0])])
        }
        #expect(throws: TensorFileError.self) { try SafetensorsWriter.encode([Tensor(name: "a", dtype: .float4, shape: [3], holding: [0, 0])]) }
    }

    /// The same tensors through `safetensors.numpy.save_file` and through mlrun give the same bytes.
    @Test func theReferenceWritesTheSameBytes() async throws {
        guard let python = try await SafetensorsFixtures.python() else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-writer-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tensors = [
            Tensor(name: "layer.1.weight", dtype: .float32, shape: [2, 2], holding: (0..<16).map { UInt8($0) }),
            Tensor(name: "layer.1.bias", dtype: .float32, shape: [2], holding: (0..<8).map { UInt8($0 * 3) }),
            Tensor(name: "mask", dtype: .bool, shape: [3], holding: [1, 0, 1]),
            Tensor(name: "ids", dtype: .int64, shape: [1, 1], holding: [9, 0, 0, 0, 0, 0, 0, 0]),
            Tensor(name: "half", dtype: .float16, shape: [0], holding: []),
            Tensor(name: "Ü", dtype: .uint16, shape: [], holding: [1, 2]),
        ]
        let mine = folder.appending(path: "mlrun.safetensors")
        try SafetensorsWriter.write(tensors, metadata: ["format": "np \"x\"\n"], to: mine)
        let script = """
            import sys, numpy as np
            from safetensors.numpy import save_file
            t = {"layer.1.weight": np.frombuffer(bytes(range(16)), np.float32).reshape(2, 2),
                 "layer.1.bias": np.frombuffer(bytes(i * 3 for i in range(8)), np.float32),
                 "mask": np.array([True, False, True]), "ids": np.array([[9]], np.int64),
                 "half": np.zeros(0, np.float16), "Ü": np.array(513, np.uint16)}
            save_file(t, sys.argv[1], metadata={"format": "np \\"x\\"\\n"})
            """
        let reference = folder.appending(path: "reference.safetensors")
        let run = try await ExternalProgram.run(python, ["-c", script, reference.path])
        try #require(run.status == 0, "\(run.output)")
        #expect(try Data(contentsOf: mine) == Data(contentsOf: reference))
    }
}
