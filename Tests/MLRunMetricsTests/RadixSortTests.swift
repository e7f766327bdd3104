import Testing
@testable import MLRunMetrics

@Suite struct RadixSortTests {
    /// A small deterministic generator (SplitMix64), so the tests need no global random state.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [0, 1, 7, 2047, 2048, 50_000])
    func sortsLikeTheStandardLibrary(count: Int) {
        var rng = SplitMix(state: UInt64(count))
        var keys = (0..<count).map { _ in rng.next() }
        let expected = keys.sorted()
        RadixSort.sort(&keys)
        #expect(keys == expected)
    }

    @Test func keysOrderDoublesIncludingNegativesAndExtremes() {
        let values: [Double] = [-.greatestFiniteMagnitude, -1e300, -2.5, -1, -.leastNonzeroMagnitude, 0,
                                .leastNonzeroMagnitude, 1e-300, 0.1, 0.30000000000000004, 1, 2.5, .greatestFiniteMagnitude]
        let keys = values.map(RadixSort.key)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == values.count)
    }

    @Test func negativeZeroIsTheSameThresholdAsZero() {
        #expect(RadixSort.key(-0.0) == RadixSort.key(0.0))
    }

    @Test func sortsDoubleKeysWithHeavyTiesAndSharedDigits() {
        var rng = SplitMix(state: 42)
        // Scores rounded to one decimal: 11 values, so most radix passes see few digits.
        let scores = (0..<10_000).map { _ in (Double(rng.next() % 11) / 10) * (rng.next() % 2 == 0 ? 1 : -1) }
        var keys = scores.map(RadixSort.key)
        RadixSort.sort(&keys)
        #expect(keys == scores.map(RadixSort.key).sorted())
    }
}
