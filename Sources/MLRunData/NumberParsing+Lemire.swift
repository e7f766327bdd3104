// The two exact routes from a decimal significand w and exponent q to the nearest double:
// Clinger's fast path (Clinger, "How to Read Floating Point Numbers Accurately", 1990) and the
// Eisel–Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second", 2021).

extension NumberParsing {
    /// Exact powers of ten as doubles: 10^22 is the largest whose 5^22 fits 53 bits.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Powers of ten up to 10^15 as integers, to move excess exponent into the significand.
    static let integerPowersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
        100_000_000_000_000, 1_000_000_000_000_000,
    ]

    /// w × 10^q when one correctly rounded IEEE multiplication or division of exact operands
    /// computes it, else `nil`. Clinger's fast path: w ≤ 2^53 and |q| ≤ 22, or q up to 37 when
    /// w × 10^(q − 22) is still an integer ≤ 2^53.
    @inline(__always)
    static func clingerFastPath(_ w: UInt64, _ q: Int) -> Double? {
        guard w <= 1 << 53 else { return nil }
        if q >= 0 {
            if q <= 22 { return Double(w) * exactPowerOfTen(q) }
            guard q <= 22 + 15 else { return nil }
            let (scaled, overflow) = w.multipliedReportingOverflow(by: integerPowersOfTen[q - 22])
            guard !overflow, scaled <= 1 << 53 else { return nil }
            return Double(scaled) * 1e22
        }
        guard q >= -22 else { return nil }
        return Double(w) / exactPowerOfTen(-q)
    }

    /// 10^k for 0 ≤ k ≤ 22, exact: `exactPowersOfTen[k]` without the global array's lazy
    /// initialisation check and retain on every call (it showed as ~3 % of a drift run's
    /// profile); the common k of data files first.
    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        default: return exactPowersOfTen[k]
        }
    }

    /// The bits of the positive double nearest w × 10^q (ties to even), or `nil` in the
    /// rare case the 128-bit product cannot decide. Eisel–Lemire, after Lemire (2021).
    ///
    /// With w normalised to `wn` (top bit set) and `powersOfFive` holding m(q) ≈ 5^q as a
    /// 128-bit number scaled by 2^-e(q), the value is X × 2^(64 + e(q) + q − lz) where
    /// X = wn × 5^q / 2^(e(q) + 64). Z, the top 128 bits of the 192-bit product wn × m(q), is
    /// X up to the table's rounding:
    /// - 0 ≤ q ≤ 55: m(q) is exact, so Z = ⌊X⌋ (and Z = X for q ≤ 27, where m's low word is 0).
    /// - −27 ≤ q < 0: m(q) is rounded up, so |Z − X| < 1, but X is a multiple of 2^66 over
    ///   5^−q < 2^63, so it is either exactly on a multiple of D (below) or ≥ 9 away from it:
    ///   Z sees the same bits and the same exactness as X.
    /// - otherwise m(q) is truncated and Z ≤ X < Z + 2: only when Z's bits below the 54 kept
    ///   are all ones (or one short) can X carry into them; then we give up.
    /// The kept 54 bits t = ⌊Z / D⌋ (D = 2^(64 + s), s = 9 or 10) are the 53-bit significand and
    /// the rounding bit. An exact tie needs X to be an odd multiple of D, and w × 10^q to be
    /// halfway between doubles, which for w < 2^64 happens only for −4 ≤ q ≤ 23 (5^−q must
    /// divide w yet leave 54 bits; or 5^q itself fit in 54 bits). Outside that range, bits
    /// that look like a tie are a truncated value just above it, so we round up.
    static func eiselLemire(_ w: UInt64, _ q: Int) -> UInt64? {
        // Below 10^-342, even 19 nines round to zero; above 10^308, even 1 is infinite.
        if w == 0 || q < smallestPowerOfFive { return 0 }
        if q > largestPowerOfFive { return infinityBits }

        let leadingZeros = w.leadingZeroBitCount
        let wn = w &<< UInt64(leadingZeros)
        let index = 2 &* (q &- smallestPowerOfFive)
        let (powerHigh, powerLow) = powersOfFive.withUnsafeBufferPointer { ($0[index], $0[index &+ 1]) }
        let first = wn.multipliedFullWidth(by: powerHigh)
        let second = wn.multipliedFullWidth(by: powerLow)
        // Z = ⌊wn × m / 2^64⌋ exactly; it is below 2^128, so the carry cannot overflow `high`.
        let (low, carry) = first.low.addingReportingOverflow(second.high)
        let high = first.high &+ (carry ? 1 : 0)

        // Z ≥ 2^126, so `high` has 63 or 64 bits; keep 54 of them.
        let topBit = Int(high &>> 63)
        let dropped = 9 &+ topBit
        let droppedMask = (UInt64(1) &<< UInt64(dropped)) &- 1
        let t = high &>> UInt64(dropped)
        let droppedAllZero = high & droppedMask == 0 && low == 0
        if q < -27 || q > 55, high & droppedMask == droppedMask, low >= UInt64.max - 1 { return nil }

        // The value is t × 2^(1 + s + ⌊q log2 10⌋ − lz); (q × 217706) >> 16 is ⌊q log2 10⌋ over the
        // table's range (checked by scripts/gen/powers_of_five.py). A double's biased exponent is
        // that power + 53 + 1023 (t has 54 bits).
        let floorLog2PowerOfTen = (q &* 217_706) &>> 16
        var biasedExponent = 1 &+ dropped &+ floorLog2PowerOfTen &- leadingZeros &+ 1076

        if biasedExponent <= 0 {
            // Subnormal: shift the rounding bit into place and round half up, as ties are
            // impossible this small. Rounding up to 2^52 gives the smallest normal's bits.
            let shift = 1 &- biasedExponent
            guard shift < 64 else { return 0 }
            return ((t &>> UInt64(shift)) &+ 1) &>> 1
        }

        let tie = q >= -4 && q <= 23 && t & 1 == 1 && droppedAllZero
        // On a tie, round to even; else the rounding bit decides.
        var significand = tie ? (t &+ ((t &>> 1) & 1)) &>> 1 : (t &+ 1) &>> 1
        if significand == 1 << 53 {
            significand = 1 << 52
            biasedExponent &+= 1
        }
        if biasedExponent >= 0x7FF { return infinityBits }
        return UInt64(biasedExponent) &<< 52 | significand & (1 << 52 - 1)
    }

    /// The bits of +infinity.
    static let infinityBits: UInt64 = 0x7FF0_0000_0000_0000
}
