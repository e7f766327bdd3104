/// Per-test seeds (SPEC §4), derived so that any plugin, in any language, can compute them.
///
/// `testSeed = splitmix64(runSeed XOR fnv1a64(utf8(id)))`, where `fnv1a64` is the 64-bit
/// FNV-1a hash (offset basis 0xcbf29ce484222325, prime 0x100000001b3) and `splitmix64` is
/// one step of Steele, Lea and Flood's SplitMix64 finaliser (add 0x9e3779b97f4a7c15, then
/// the two xor-shift-multiply rounds). The same run seed always gives the same test seeds.
package enum Seeds {
    /// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes; stable across processes and machines.
    package static func fnv1a64(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { fnv1a64(UnsafeRawBufferPointer($0)) }
    }

    /// The 64-bit FNV-1a hash of `bytes`: xor each byte in, then multiply by the prime.
    ///
    /// Inlinable because plugins hash every field of a data file with it (the drift plugin's
    /// value counts), where a call per field would cost more than the hash.
    @inlinable
    package static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// One SplitMix64 step, a good 64-bit mixing function.
    package static func splitmix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The seed of the test `id` in a run seeded with `runSeed`.
    package static func testSeed(runSeed: UInt64, id: TestID) -> UInt64 {
        splitmix64(runSeed ^ fnv1a64(id.description))
    }

    /// A fresh run seed when none was given: random, below 2^32 so it is easy to retype.
    package static func randomRunSeed() -> UInt64 {
        UInt64.random(in: 0..<(1 << 32))
    }
}

extension Duration {
    /// The duration in seconds, as a double.
    package var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
