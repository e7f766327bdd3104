import MLRunTensors

/// The closeness rule for values that may differ by rounding: `|a − e| ≤ atol + rtol × |e|`.
///
/// The defaults are torch.testing.assert_close's per-dtype defaults (PyTorch 2.x,
/// `torch/testing/_comparison.py`): float16 rtol 1e-3, atol 1e-5; bfloat16 rtol 1.6e-2,
/// atol 1e-5; float32 rtol 1.3e-6, atol 1e-5; float64 rtol 1e-7, atol 1e-7. Integers and
/// bool compare exactly (0, 0), as there. torch gives no default for the float8 types (it
/// compares them exactly), so an F8 export needs `tolerance` and `relative_tolerance`.
/// The dtype whose default applies is the less precise of the two compared.
struct Tolerance: Sendable, Equatable {
    var atol: Double
    var rtol: Double

    /// torch's default for `dtype`, or `nil` where torch has none (the F8 types and the
    /// unreadable dtypes).
    static func torchDefault(for dtype: TensorDType) -> Tolerance? {
        switch dtype {
        case .float16: Tolerance(atol: 1e-5, rtol: 1e-3)
        case .bfloat16: Tolerance(atol: 1e-5, rtol: 1.6e-2)
        case .float32: Tolerance(atol: 1e-5, rtol: 1.3e-6)
        case .float64: Tolerance(atol: 1e-7, rtol: 1e-7)
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: Tolerance(atol: 0, rtol: 0)
        case .float4, .float6E2M3, .float6E3M2, .float8E5M2, .float8E4M3, .float8E4M3FNUZ, .float8E5M2FNUZ, .float8E8M0, .complex64: nil
        }
    }

    /// The rule for comparing a `actual`-typed tensor with an `expected`-typed one: the
    /// overrides where given, else the default of the less precise dtype.
    static func rule(actual: TensorDType, expected: TensorDType, atol: Double?, rtol: Double?) -> Tolerance? {
        let coarser = precisionRank(actual) <= precisionRank(expected) ? actual : expected
        let base = torchDefault(for: coarser)
        guard let resolvedAtol = atol ?? base?.atol, let resolvedRtol = rtol ?? base?.rtol else { return nil }
        return Tolerance(atol: resolvedAtol, rtol: resolvedRtol)
    }

    /// Orders float dtypes by precision (higher is more precise); integers rank above floats
    /// so that a float's tolerance wins when one side is an integer.
    private static func precisionRank(_ dtype: TensorDType) -> Int {
        switch dtype {
        case .float4, .float6E2M3, .float6E3M2: 0
        case .float8E8M0, .float8E5M2, .float8E4M3, .float8E4M3FNUZ, .float8E5M2FNUZ: 1
        case .bfloat16: 2
        case .float16: 3
        case .float32, .complex64: 4
        case .float64: 5
        default: 6
        }
    }
}
