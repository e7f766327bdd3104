/// A 64-bit hash of bytes, the same in every process and on every machine (never `Hasher`,
/// which is seeded per process), for finding equal keys among millions of rows.
///
/// Eight bytes at a time, each word mixed by a multiply–xorshift step, finished with the
/// splitmix64 finaliser; not cryptographic. With 10 million distinct keys the chance that
/// two of them share a hash is about 3 in a million (n² / 2⁶⁵).
package enum KeyHash {
    /// The starting state of every hash.
    package static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Hashes `bytes`, continuing from `state` (so several fields can form one key).
    @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer, into state: UInt64 = seed) -> UInt64 {
        var h = state ^ (UInt64(truncatingIfNeeded: bytes.count) &* 0xFF51_AFD7_ED55_8CCD)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mix(h ^ word)
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail ^ 0x80)
        }
        return finish(h)
    }

    /// Hashes a 64-bit value (a parsed number's bits), continuing from `state`.
    @inline(__always)
    package static func hash(_ value: UInt64, into state: UInt64 = seed) -> UInt64 {
        finish(mix(state ^ value) ^ 0x5BD1_E995)
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        return z &* 0x94D0_49BB_1331_11EB
    }

    /// splitmix64's finaliser.
    @inline(__always)
    static func finish(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
