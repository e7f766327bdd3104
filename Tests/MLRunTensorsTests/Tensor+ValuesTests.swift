import Testing

@testable import MLRunTensors

@Suite struct TensorValuesTests {
    // Every value of every F8 format and a spread of BF16 ones are checked against ml_dtypes in
    // the fixtures (SafetensorsFixtures.check); these pin the formats' landmarks.
    @Test(arguments: [
        (TensorDType.float8E4M3, UInt8(0x7E), 448.0),
        (.float8E4M3, 0x01, 0x1p-9),
        (.float8E4M3, 0x80, -0.0),
        (.float8E5M2, 0x7B, 57344),
        (.float8E5M2, 0x7C, .infinity),
        (.float8E5M2, 0xFC, -.infinity),
        (.float8E5M2, 0x01, 0x1p-16),
        (.float8E4M3FNUZ, 0x7F, 240),
        (.float8E4M3FNUZ, 0x01, 0x1p-10),
        (.float8E5M2FNUZ, 0x7F, 57344),
        (.float8E5M2FNUZ, 0x01, 0x1p-17),
        (.float8E8M0, 0x00, 0x1p-127),
        (.float8E8M0, 0x7F, 1),
        (.float8E8M0, 0xFE, 0x1p127),
        (.int8, 0xFF, -1),
        (.uint8, 0xFF, 255),
        (.bool, 0x02, 1),
    ])
    func byteValues(dtype: TensorDType, byte: UInt8, value: Double) {
        let read = Tensor(name: "t", dtype: dtype, shape: [1], holding: [byte]).double(at: 0)
        #expect(read?.bitPattern == value.bitPattern, "\(dtype) 0x\(String(byte, radix: 16)): \(String(describing: read))")
    }

    @Test(arguments: [
        (TensorDType.float8E4M3, UInt8(0x7F)), (.float8E4M3, 0xFF), (.float8E5M2, 0x7D), (.float8E4M3FNUZ, 0x80), (.float8E5M2FNUZ, 0x80),
        (.float8E8M0, 0xFF),
    ])
    func nans(dtype: TensorDType, byte: UInt8) {
        #expect(Tensor(name: "t", dtype: dtype, shape: [], holding: [byte]).double(at: 0)?.isNaN == true)
    }

    @Test func wideValues() {
        #expect(Tensor(name: "h", dtype: .float16, shape: [2], holding: [0x01, 0x00, 0xFF, 0x7B]).double(at: 1) == 65504)
        #expect(Tensor(name: "h", dtype: .float16, shape: [1], holding: [0x01, 0x00]).double(at: 0) == 0x1p-24)
        #expect(Tensor(name: "b", dtype: .bfloat16, shape: [1], holding: [0x80, 0xBF]).double(at: 0) == -1)
        #expect(Tensor(name: "i", dtype: .int64, shape: [1], holding: [0, 0, 0, 0, 0, 0, 0, 0x80]).double(at: 0) == -0x1p63)
        #expect(Tensor(name: "u", dtype: .uint32, shape: [1], holding: [0xFF, 0xFF, 0xFF, 0xFF]).double(at: 0) == 4_294_967_295)
        #expect(Tensor(name: "c", dtype: .complex64, shape: [1], holding: [UInt8](repeating: 0, count: 8)).double(at: 0) == nil)
        #expect(Tensor(name: "f", dtype: .float4, shape: [2], holding: [0x11]).double(at: 0) == nil)
    }
}
