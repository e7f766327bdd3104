import Foundation
import Testing

@testable import MLRunTensors

@Suite struct NumPyTensorTests {
    @Test func aBigEndianFortranArrayReadsAsLittleEndianCOrder() throws {
        // A (2, 3) '>i2' array in Fortran order holding [[1, 2, 3], [4, 5, 6]].
        let header = "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }"
        var headerBytes = Array(header.utf8)
        while (10 + headerBytes.count + 1) % 64 != 0 { headerBytes.append(0x20) }
        headerBytes.append(0x0A)
        var file: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(headerBytes.count & 0xFF), UInt8(headerBytes.count >> 8)]
        file += headerBytes
        for value: UInt16 in [1, 4, 2, 5, 3, 6] { file += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-npy-\(UUID().uuidString).npy")
        try Data(file).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let read = try TensorFile.open(url, source: "w.npy")
        #expect(read.format == .npy)
        #expect(read.tensors.count == 1)
        let tensor = try #require(read.tensors.first)
        #expect(tensor.dtype == .int16)
        #expect(tensor.shape == [2, 3])
        #expect(Array(tensor.bytes) == [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0])
    }

    @Test func anUnknownExtensionIsAnErrorNamingTheFile() {
        #expect(throws: TensorFileError.self) { try TensorFile.open(URL(fileURLWithPath: "/tmp/model.h5"), source: "model.h5") }
        do {
            _ = try TensorFile.open(URL(fileURLWithPath: "/tmp/model.h5"), source: "model.h5")
        } catch {
            #expect(error.description.hasPrefix("model.h5: unknown model file type '.h5'"))
        }
    }
}
