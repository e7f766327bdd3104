import Crypto
import Foundation
import Testing

@testable import MLRunTensors

@Suite struct TensorSummaryTests {
    // The fixtures' summaries are checked against numpy and hashlib in SafetensorsFixtures.check.

    /// A tensor spanning several chunks, with its only infinity in the last one, unaligned in
    /// its buffer: the chunked pass agrees with a one-shot hash and a plain loop.
    @Test(arguments: [0, 2])
    func aTensorOverManyChunksIsReadOnce(misalignment: Int) {
        let count = TensorSummary.chunkSize / 4 * 2 + 1001
        var bytes = [UInt8](repeating: 0, count: misalignment)
        for index in 0..<count {
            let value: Float = index == count - 3 ? .infinity : Float(index % 7) - 3
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
        let buffer = TensorBuffer(copying: bytes)
        let tensor = Tensor(name: "big", dtype: .float32, shape: [count], buffer: buffer, byteRange: misalignment..<bytes.count)
        let summary = TensorSummary(of: tensor)
        let digest = SHA256.hash(data: bytes[misalignment...]).map { String(format: "%02x", $0) }.joined()
        #expect(summary.sha256 == digest)
        #expect(summary.firstNonFinite == count - 3)
        #expect(!summary.isAllZero)
        #expect(!summary.isConstant)
        #expect(summary.count == count)
    }

    @Test func summariesOnTwoThreadsEqualOneThread() throws {
        let file = try TensorFile.open(try SafetensorsFixtures.folder.appending(path: "numpy_dtypes.safetensors"), source: "n")
        #expect(TensorSummary.summaries(of: file.tensors, threads: 2) == TensorSummary.summaries(of: file.tensors, threads: 1))
    }

    /// How zero and equality are defined on bits (see TensorSummary's documentation).
    @Test(arguments: [
        (TensorDType.float32, [0, 0, 0, 0x80, 0, 0, 0, 0], true, false, nil as Int?),  // −0.0, +0.0: zero, not constant
        (.float32, [0, 0, 0xC0, 0x7F, 0, 0, 0xC0, 0x7F], false, true, 0),  // the same NaN twice: constant
        (.float16, [0, 0x7C, 0, 0x3C], false, false, 0),  // +inf
        (.bfloat16, [0x80, 0x7F, 0x80, 0x7F], false, true, 0),
        (.float64, [0, 0, 0, 0, 0, 0, 0xF0, 0xFF], false, true, 0),
        (.float8E4M3, [0x7E, 0xFF], false, false, 1),  // 448, NaN
        (.float8E5M2, [0x7B, 0x7C], false, false, 1),  // 57344, inf
        (.float8E4M3FNUZ, [0x00, 0x80], false, false, 1),  // 0, NaN
        (.float8E8M0, [0x00, 0x00], false, true, nil),  // 2^-127 twice: no zero in E8M0
        (.float8E8M0, [0x7F, 0xFF], false, false, 1),
        (.complex64, [0, 0, 0, 0, 0, 0, 0x80, 0x7F], false, true, 0),  // 0 + inf i
        (.complex64, [0, 0, 0, 0x80, 0, 0, 0, 0x80], true, true, nil),
        (.float4, [0x88, 0x80], true, false, nil),  // −0, −0, +0, −0
        (.float4, [0x33, 0x33], false, true, nil),
        (.int8, [0x80, 0x80], false, true, nil),
        (.bool, [0, 0, 0], true, true, nil),
        (.float6E2M3, [0x41, 0x10, 0x04], false, true, nil),  // four copies of 1
        (.float6E2M3, [0x01, 0x00, 0x00], false, false, nil),
    ])
    func bitsDecide(dtype: TensorDType, bytes: [UInt8], allZero: Bool, constant: Bool, firstNonFinite: Int?) {
        let elements = bytes.count * 8 / dtype.bitWidth
        let summary = TensorSummary(of: Tensor(name: "t", dtype: dtype, shape: [elements], holding: bytes))
        #expect(summary.isAllZero == allZero, "\(dtype) \(bytes)")
        #expect(summary.isConstant == constant, "\(dtype) \(bytes)")
        #expect(summary.firstNonFinite == firstNonFinite, "\(dtype) \(bytes)")
    }

    @Test func anEmptyTensorIsZeroConstantAndFinite() {
        let summary = TensorSummary(of: Tensor(name: "e", dtype: .float32, shape: [0, 4], holding: []))
        #expect(summary == TensorSummary(of: Tensor(name: "e", dtype: .float32, shape: [0], holding: [])))
        #expect(summary.isAllZero && summary.isConstant && summary.firstNonFinite == nil && summary.count == 0)
        #expect(summary.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
