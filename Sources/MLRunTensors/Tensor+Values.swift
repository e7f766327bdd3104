extension Tensor {
    /// The element at C-order flat index `index` as a double, exactly; nil for a dtype whose
    /// values mlrun does not read (F4, F6, C64: see ``TensorDType/isReadable``) or an index
    /// outside `0..<count`.
    ///
    /// Every readable dtype converts exactly (a double holds every value of each). Booleans
    /// read as 0 or 1 (any nonzero byte is true, as NumPy reads it); 64-bit integers past 2^53
    /// round to the nearest double, as NumPy's `astype(float64)` does. Floats decode as
    /// (−1)^s × 2^(e − bias) × 1.f, or 2^(1 − bias) × 0.f when e = 0, with each format's specials:
    /// - F16 (IEEE 754 binary16, bias 15), BF16 (the top half of a binary32), F32, F64, and
    ///   F8_E5M2 (bias 15): e all ones is ±infinity when f = 0, NaN otherwise;
    /// - F8_E4M3 ("fn", bias 7, OCP 8-bit floating point spec / arXiv:2209.05433): no
    ///   infinities; S.1111.111 is NaN, so the largest value is 448;
    /// - F8_E4M3FNUZ (bias 8) and F8_E5M2FNUZ (bias 16), as in ONNX's FLOAT8E4M3FNUZ and
    ///   FLOAT8E5M2FNUZ: no infinities and no negative zero; 0x80 is the only NaN;
    /// - F8_E8M0 (OCP Microscaling spec v1.0, E8M0 scale): 2^(e − 127), no sign, no zero; 0xFF
    ///   is NaN.
    package func double(at index: Int) -> Double? {
        guard dtype.isReadable, index >= 0, index < count else { return nil }
        let raw = bytes
        let width = dtype.bitWidth / 8
        let offset = index * width
        func load<T: FixedWidthInteger>(_: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        switch dtype {
        case .bool: return raw[offset] == 0 ? 0 : 1
        case .uint8: return Double(raw[offset])
        case .int8: return Double(Int8(bitPattern: raw[offset]))
        case .uint16: return Double(load(UInt16.self))
        case .int16: return Double(load(Int16.self))
        case .uint32: return Double(load(UInt32.self))
        case .int32: return Double(load(Int32.self))
        case .uint64: return Double(load(UInt64.self))
        case .int64: return Double(load(Int64.self))
        case .float16: return Self.minifloat(UInt64(load(UInt16.self)), exponentBits: 5, fractionBits: 10, bias: 15, specials: .ieee)
        case .bfloat16: return Double(Float(bitPattern: UInt32(load(UInt16.self)) << 16))
        case .float32: return Double(Float(bitPattern: load(UInt32.self)))
        case .float64: return Double(bitPattern: load(UInt64.self))
        case .float8E5M2: return Self.minifloat(UInt64(raw[offset]), exponentBits: 5, fractionBits: 2, bias: 15, specials: .ieee)
        case .float8E4M3: return Self.minifloat(UInt64(raw[offset]), exponentBits: 4, fractionBits: 3, bias: 7, specials: .finiteNaNAtMaximum)
        case .float8E4M3FNUZ:
            return Self.minifloat(UInt64(raw[offset]), exponentBits: 4, fractionBits: 3, bias: 8, specials: .finiteNaNAtNegativeZero)
        case .float8E5M2FNUZ:
            return Self.minifloat(UInt64(raw[offset]), exponentBits: 5, fractionBits: 2, bias: 16, specials: .finiteNaNAtNegativeZero)
        case .float8E8M0:
            let exponent = Int(raw[offset])
            return exponent == 0xFF ? .nan : Double(sign: .plus, exponent: exponent - 127, significand: 1)
        case .float4, .float6E2M3, .float6E3M2, .complex64: return nil
        }
    }

    /// How a small float format spends its special bit patterns.
    enum MinifloatSpecials {
        /// IEEE 754: exponent all ones is infinity (fraction 0) or NaN.
        case ieee
        /// "fn": finite only; exponent and fraction all ones is NaN.
        case finiteNaNAtMaximum
        /// "fnuz": finite only, no negative zero; the sign bit alone is NaN.
        case finiteNaNAtNegativeZero
    }

    /// Decodes a sign-exponent-fraction float of `1 + exponentBits + fractionBits` bits, exactly.
    static func minifloat(_ bits: UInt64, exponentBits: Int, fractionBits: Int, bias: Int, specials: MinifloatSpecials) -> Double {
        let fraction = bits & (1 << fractionBits - 1)
        let exponent = Int(bits >> fractionBits) & (1 << exponentBits - 1)
        let negative = bits >> (exponentBits + fractionBits) & 1 == 1
        let maximumExponent = 1 << exponentBits - 1
        switch specials {
        case .ieee where exponent == maximumExponent:
            return fraction == 0 ? (negative ? -.infinity : .infinity) : .nan
        case .finiteNaNAtMaximum where exponent == maximumExponent && fraction == 1 << fractionBits - 1:
            return .nan
        case .finiteNaNAtNegativeZero where negative && exponent == 0 && fraction == 0:
            return .nan
        default:
            break
        }
        let magnitude =
            exponent == 0
            ? Double(sign: .plus, exponent: 1 - bias - fractionBits, significand: Double(fraction))
            : Double(sign: .plus, exponent: exponent - bias - fractionBits, significand: Double(1 << fractionBits | fraction))
        return negative ? -magnitude : magnitude
    }
}
