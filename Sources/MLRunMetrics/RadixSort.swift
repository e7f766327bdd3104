/// Sorts 64-bit keys ascending by least-significant-digit radix sort: 11 bits a pass, six
/// passes, each skipped when every key has the same digit there.
///
/// O(n) time and one n-element buffer. ROC AUC and average precision sort every score once,
/// and on millions of rows this is several times faster than a comparison sort.
enum RadixSort {
    static let digitBits = 11
    static let passes = 6

    /// The order-preserving key of a finite double: sorting keys as unsigned integers sorts the
    /// doubles. Negative numbers flip every bit, others flip the sign bit.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        // -0.0 + 0.0 is +0.0: numpy's `diff` sees -0.0 and 0.0 as one threshold, so must we.
        let bits = (x + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Sorts `keys` ascending in place.
    static func sort(_ keys: inout [UInt64]) {
        let n = keys.count
        guard n > 1 else { return }
        guard n >= 2048 else { keys.sort(); return }
        let radix = 1 << digitBits
        let mask = UInt64(radix - 1)

        // Every pass's histogram in one read of the keys.
        var counts = [Int](repeating: 0, count: radix * passes)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for x in k {
                    for pass in 0..<passes {
                        c[pass &* radix &+ Int(truncatingIfNeeded: (x >> UInt64(pass * digitBits)) & mask)] &+= 1
                    }
                }
            }
        }

        var buffer = [UInt64](repeating: 0, count: n)
        var sortedInBuffer = false
        var offsets = [Int](repeating: 0, count: radix)
        for pass in 0..<passes {
            let base = pass * radix
            // A digit shared by every key leaves the order as it is.
            if counts[base..<base + radix].contains(n) { continue }
            var running = 0
            for digit in 0..<radix {
                offsets[digit] = running
                running += counts[base + digit]
            }
            let shift = UInt64(pass * digitBits)
            keys.withUnsafeMutableBufferPointer { a in
                buffer.withUnsafeMutableBufferPointer { b in
                    offsets.withUnsafeMutableBufferPointer { o in
                        let (source, target) = sortedInBuffer ? (b, a) : (a, b)
                        for x in source {
                            let digit = Int(truncatingIfNeeded: (x >> shift) & mask)
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
