/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator of 64-bit words.
///
/// Seeds the bootstrap's xoshiro256** state and gives tests reproducible data with no global
/// random state. Not for anything that must be unpredictable.
package struct SplitMix64: RandomNumberGenerator {
    /// The generator's whole state; each word advances it by the golden-ratio increment.
    package var state: UInt64

    package init(state: UInt64) {
        self.state = state
    }

    /// The next 64 bits: the state advanced, then two xor-shift-multiply rounds.
    @inlinable
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
