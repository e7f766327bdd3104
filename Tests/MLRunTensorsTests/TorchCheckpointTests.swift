import Foundation
import Testing

@testable import MLRunTensors

@Suite struct TorchCheckpointTests {
    private func floats(_ tensor: Tensor?) -> [Float] {
        guard let tensor else { return [] }
        return stride(from: 0, to: tensor.bytes.count, by: 4).map {
            Float(bitPattern: tensor.bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self))
        }
    }

    @Test(arguments: ["state_dict.pt", "state_dict_protocol4.pt"])
    func aStateDictReadsIntoTheZipWithoutACopy(file: String) throws {
        let read = try TensorFile.open(PickleFixtures.folder.appending(path: file), source: file)
        #expect(read.format == .pickle)
        #expect(read.tensors.map(\.name) == ["fc.weight", "fc.bias", "bn.num_batches_tracked"])
        #expect(read.tensors.map(\.dtype) == [.float32, .float32, .int64])
        #expect(read.tensors.map(\.shape) == [[2, 3], [3], []])
        #expect(floats(read.tensor(named: "fc.weight")) == [0.5, -1.0, 2.0, 0.25, 3.5, -4.0])
        // fc.bias starts one element into its storage [9, 1.5, -2.5, 0].
        #expect(floats(read.tensor(named: "fc.bias")) == [1.5, -2.5, 0.0])
        #expect(read.tensor(named: "bn.num_batches_tracked").map { Array($0.bytes) } == [7, 0, 0, 0, 0, 0, 0, 0])
        // The bytes are those of the mapped file.
        let whole = try Data(contentsOf: PickleFixtures.folder.appending(path: file))
        let weight = try #require(read.tensor(named: "fc.weight"))
        #expect(Array(whole[weight.byteRange]) == Array(weight.bytes))
    }

    @Test func nestedCheckpointsAndParametersAreNamedByTheirPath() throws {
        let read = try TensorFile.open(PickleFixtures.folder.appending(path: "checkpoint.ckpt"), source: "checkpoint.ckpt")
        #expect(Set(read.tensors.map(\.name)) == ["model.fc.weight", "model.fc.bias", "model.bn.num_batches_tracked", "emb"])
        #expect(floats(read.tensor(named: "emb")) == [1.0, 2.0])
    }

    @Test func nonContiguousAndNonZipCheckpointsAreErrors() {
        let transposed = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try TensorFile.open(PickleFixtures.folder.appending(path: "non_contiguous.pt"), source: "t.pt")
        }
        #expect(
            transposed
                == "t.pt member 'archive/data.pkl': tensor 'w': stride [1, 3] of size [3, 2] is not C-contiguous; only contiguous tensors are read")
        let raw = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try TensorFile.open(PickleFixtures.folder.appending(path: "memoized_strings.pkl"), source: "m.pkl")
        }
        #expect(raw?.hasPrefix("m.pkl: not a PyTorch zip checkpoint") == true, "\(raw ?? "no error")")
    }
}
