import Testing

@testable import MLRunNumerics

@Suite struct RadixSortTests {
    /// Sizes around each change of method: comparison sort, 11-bit digits, 16-bit digits.
    static let sizes = [0, 1, 7, 2047, 2048, 50_000, RadixSort.wideDigitsFrom - 1, RadixSort.wideDigitsFrom]

    @Test(arguments: sizes)
    func sortsLikeTheStandardLibrary(count: Int) {
        var rng = SplitMix64(state: UInt64(count))
        var keys = (0..<count).map { _ in rng.next() }
        let expected = keys.sorted()
        RadixSort.sort(&keys)
        #expect(keys == expected)
    }

    @Test(arguments: sizes)
    func sortedKeysOfDoublesAreTheirSortedKeys(count: Int) {
        var rng = SplitMix64(state: UInt64(count) &+ 1)
        let values = (0..<count).map { _ in Double(Int64(bitPattern: rng.next() >> 11)) / 1e9 * (rng.next() % 2 == 0 ? 1 : -1) }
        #expect(RadixSort.sortedKeys(values) == values.map(RadixSort.key).sorted())
    }

    @Test func keysOrderDoublesIncludingNegativesAndExtremes() {
        let values: [Double] = [
            -.infinity, -.greatestFiniteMagnitude, -1e300, -2.5, -1, -.leastNonzeroMagnitude, 0,
            .leastNonzeroMagnitude, 1e-300, 0.1, 0.30000000000000004, 1, 2.5, .greatestFiniteMagnitude,
            .infinity,
        ]
        let keys = values.map(RadixSort.key)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == values.count)
        #expect(keys.map(RadixSort.value(ofKey:)) == values)
    }

    @Test func negativeZeroIsTheSameValueAsZero() {
        #expect(RadixSort.key(-0.0) == RadixSort.key(0.0))
        #expect(RadixSort.value(ofKey: RadixSort.key(-0.0)).sign == .plus)
        #expect(RadixSort.sorted([0.0, -0.0, -1]).map(\.sign) == [.minus, .plus, .plus])
    }

    @Test func sortsDoubleKeysWithHeavyTiesAndSharedDigits() {
        var rng = SplitMix64(state: 42)
        // Scores rounded to one decimal: 11 values, so most radix passes see few digits.
        let scores = (0..<10_000).map { _ in (Double(rng.next() % 11) / 10) * (rng.next() % 2 == 0 ? 1 : -1) }
        var keys = scores.map(RadixSort.key)
        RadixSort.sort(&keys)
        #expect(keys == scores.map(RadixSort.key).sorted())
        #expect(RadixSort.sortedKeys(scores) == keys)
    }

    @Test func sortsDoublesLikeTheStandardLibrary() {
        var state: UInt64 = 99
        let values =
            (0..<5000).map { i -> Double in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let x = Double(Int64(bitPattern: state >> 11)) / 1e9
                return i % 7 == 0 ? -x : (i % 11 == 0 ? 0 : x)
            } + [-0.0, .infinity, -.infinity, 1e-310, -1e-310]
        #expect(RadixSort.sorted(values) == values.sorted())
    }
}
