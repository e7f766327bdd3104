/// Sorts doubles, as order-preserving 64-bit keys, by least-significant-digit radix sort.
///
/// ROC AUC and average precision sort every score once, and the two-sample statistics
/// (Kolmogorov–Smirnov, Wasserstein, quantiles) sort both samples once; on millions of values
/// a radix sort is several times faster than a comparison sort. O(n) time and one n-element
/// buffer: a comparison sort below 2,048 keys, 11-bit digits (six passes) below 2¹⁹ keys,
/// 16-bit digits (four passes, fewer trips through memory) from there; a pass is skipped when
/// every key has the same digit there.
///
/// Order: −∞ < finite values < +∞, with −0.0 and +0.0 one value (sorted as +0.0: NumPy's sort
/// and `diff` treat them as equal, so one threshold or one pooled value). NaN is not ordered:
/// callers reject it before sorting.
package enum RadixSort {
    /// Fewer keys than this are sorted by the standard library's comparison sort.
    static let comparisonSortBelow = 2048
    /// From this many keys on, 16-bit digits: their 2¹⁶-entry histograms cost more than the
    /// two passes they save on fewer keys.
    static let wideDigitsFrom = 1 << 19

    /// The order-preserving key of a double: sorting keys as unsigned integers sorts the
    /// doubles. Negative numbers flip every bit, others flip the sign bit.
    @inlinable @inline(__always)
    package static func key(_ x: Double) -> UInt64 {
        // -0.0 + 0.0 is +0.0: one value, as for NumPy.
        let bits = (x + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The double whose key is `key`.
    @inlinable @inline(__always)
    package static func value(ofKey key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// `values` in ascending order (−0.0 comes back as +0.0).
    package static func sorted(_ values: [Double]) -> [Double] {
        sortedKeys(values).map(value(ofKey:))
    }

    /// The keys of `values`, sorted ascending: equal keys are equal doubles.
    package static func sortedKeys(_ values: [Double]) -> [UInt64] {
        let n = values.count
        guard n >= comparisonSortBelow else {
            var keys = values.map(key)
            keys.sort()
            return keys
        }
        // The literal digit widths let each call inline into a loop with constant shifts.
        return n >= wideDigitsFrom
            ? keysSorted(values, Digits(bits: 16, passes: 4))
            : keysSorted(values, Digits(bits: 11, passes: 6))
    }

    /// Sorts `keys` ascending in place.
    package static func sort(_ keys: inout [UInt64]) {
        let n = keys.count
        guard n >= comparisonSortBelow else {
            keys.sort()
            return
        }
        if n >= wideDigitsFrom {
            sort(&keys, Digits(bits: 16, passes: 4))
        } else {
            sort(&keys, Digits(bits: 11, passes: 6))
        }
    }
}

extension RadixSort {
    /// How keys are cut into digits: `bits` a digit, `passes` digits covering all 64 bits.
    struct Digits {
        let bits: Int
        let passes: Int

        var radix: Int { 1 << bits }
        var mask: UInt64 { UInt64(radix - 1) }

        /// The digit of `key` that pass `pass` sorts by.
        @inline(__always)
        func digit(_ key: UInt64, pass: Int) -> Int {
            Int(truncatingIfNeeded: (key &>> UInt64(pass &* bits)) & mask)
        }
    }

    /// The keys of `values` sorted; the keys and every pass's histogram in one read of the values.
    @inline(__always)
    private static func keysSorted(_ values: [Double], _ digits: Digits) -> [UInt64] {
        let n = values.count
        var counts = [Int](repeating: 0, count: digits.radix * digits.passes)
        var keys = [UInt64](unsafeUninitializedCapacity: n) { k, initialized in
            values.withUnsafeBufferPointer { v in
                counts.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        let x = key(v[i])
                        k[i] = x
                        for pass in 0..<digits.passes {
                            c[pass &* digits.radix &+ digits.digit(x, pass: pass)] &+= 1
                        }
                    }
                }
            }
            initialized = n
        }
        scatter(&keys, counts: counts, digits)
        return keys
    }

    /// Sorts `keys`; every pass's histogram in one read of the keys.
    @inline(__always)
    private static func sort(_ keys: inout [UInt64], _ digits: Digits) {
        var counts = [Int](repeating: 0, count: digits.radix * digits.passes)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for x in k {
                    for pass in 0..<digits.passes {
                        c[pass &* digits.radix &+ digits.digit(x, pass: pass)] &+= 1
                    }
                }
            }
        }
        scatter(&keys, counts: counts, digits)
    }

    /// The LSD passes over `keys` given every pass's digit histogram.
    @inline(__always)
    private static func scatter(_ keys: inout [UInt64], counts: [Int], _ digits: Digits) {
        let n = keys.count
        let radix = digits.radix
        var buffer = [UInt64](repeating: 0, count: n)
        var sortedInBuffer = false
        var offsets = [Int](repeating: 0, count: radix)
        for pass in 0..<digits.passes {
            let base = pass * radix
            // A digit shared by every key leaves the order as it is.
            if counts[base..<base + radix].contains(n) { continue }
            var running = 0
            for digit in 0..<radix {
                offsets[digit] = running
                running += counts[base + digit]
            }
            keys.withUnsafeMutableBufferPointer { a in
                buffer.withUnsafeMutableBufferPointer { b in
                    offsets.withUnsafeMutableBufferPointer { o in
                        let (source, target) = sortedInBuffer ? (b, a) : (a, b)
                        for x in source {
                            let digit = digits.digit(x, pass: pass)
                            target[o[digit]] = x
                            o[digit] &+= 1
                        }
                    }
                }
            }
            sortedInBuffer.toggle()
        }
        if sortedInBuffer { swap(&keys, &buffer) }
    }
}
