/// The element type of a tensor, by the names safetensors writes in its header (`F32`, `BF16`,
/// `F8_E4M3`).
///
/// Every dtype of the safetensors format (0.8.0) is here, so any file the reference loader accepts
/// opens. The cases are declared in the reference's order, the one its writer sorts by
/// (descending) and ``CaseIterable/allCases`` keeps. Values are readable (``Tensor/double(at:)``) for bool, the integers, F16, BF16, F32,
/// F64 and the F8 variants; the rest (sub-byte floats, complex) are handled as bytes: their
/// layout is checked, their bits hashed and compared, but not read as numbers.
package enum TensorDType: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case bool = "BOOL"
    /// 4-bit float (E2M1), two per byte.
    case float4 = "F4"
    /// 6-bit float, E2M3.
    case float6E2M3 = "F6_E2M3"
    /// 6-bit float, E3M2.
    case float6E3M2 = "F6_E3M2"
    case uint8 = "U8"
    case int8 = "I8"
    /// 8-bit float, E5M2 (IEEE-like: infinities and NaNs).
    case float8E5M2 = "F8_E5M2"
    /// 8-bit float, E4M3 "fn": no infinities, NaN only at S.1111.111.
    case float8E4M3 = "F8_E4M3"
    /// 8-bit exponent-only scale, E8M0: 2^(e − 127), NaN at 0xFF.
    case float8E8M0 = "F8_E8M0"
    /// 8-bit float, E4M3 "fnuz" (bias 8): no infinities, no negative zero, NaN only at 0x80.
    case float8E4M3FNUZ = "F8_E4M3FNUZ"
    /// 8-bit float, E5M2 "fnuz" (bias 16): no infinities, no negative zero, NaN only at 0x80.
    case float8E5M2FNUZ = "F8_E5M2FNUZ"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    /// Complex of two float32.
    case complex64 = "C64"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bits per element.
    package var bitWidth: Int {
        switch self {
        case .float4: 4
        case .float6E2M3, .float6E3M2: 6
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ: 8
        case .int16, .uint16, .float16, .bfloat16: 16
        case .int32, .uint32, .float32: 32
        case .complex64, .float64, .int64, .uint64: 64
        }
    }

    /// Whether elements are floating-point numbers (finite checks apply to them).
    package var isFloatingPoint: Bool {
        switch self {
        case .float4, .float6E2M3, .float6E3M2, .float8E5M2, .float8E4M3, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ,
            .float16, .bfloat16, .float32, .complex64, .float64:
            true
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: false
        }
    }

    /// Whether ``Tensor/double(at:)`` reads this dtype's elements.
    package var isReadable: Bool {
        switch self {
        case .float4, .float6E2M3, .float6E3M2, .complex64: false
        default: true
        }
    }

    /// The safetensors name, e.g. `BF16`.
    package var description: String { rawValue }
}
