/// Bootstrap percentile confidence intervals for any statistic of a set of rows.
///
/// B. Efron, "Bootstrap methods: another look at the jackknife", Ann. Statist. 7 (1979),
/// 1–26; the percentile interval of B. Efron & R. J. Tibshirani, "An Introduction to the
/// Bootstrap" (1993), ch. 13. Each resample draws `rows` rows with replacement and is handed
/// to the statistic as per-row counts (how often each row was drawn), so no data array is
/// copied: a metric reads the counts as weights, or asks for the drawn row indices.
///
/// Resampling is deterministic for a seed on every platform: xoshiro256** (D. Blackman &
/// S. Vigna, 2018) seeded through splitmix64, and D. Lemire's unbiased multiply-shift
/// ("Fast random integer generation in an interval", ACM TOMACS 29 (2019)) for each row
/// index; never the system generator. Resample r draws its rows after resample r − 1's, so
/// the same seed, rows and resamples give the same counts, and a Python rewrite of the same
/// three steps reproduces them (scripts/fixtures/make_paired_fixtures.py does).
package enum Bootstrap {
    /// One bootstrap resample of the rows `0..<rows`, as how often each row was drawn.
    package struct Resample: Sendable {
        /// For every row, how many times this resample drew it; the counts sum to `rows`.
        package internal(set) var counts: [Int]

        /// The number of rows resampled (and drawn).
        package var rows: Int { counts.count }

        /// The drawn rows, each repeated as often as it was drawn, in ascending order.
        ///
        /// For a metric that takes arrays: `metric(yTrue[resample.rowIndices], ...)`-style
        /// gathering. Allocates; prefer `counts` (or `weights`) where the metric takes weights.
        package var rowIndices: [Int] {
            var indices: [Int] = []
            indices.reserveCapacity(counts.count)
            for (row, count) in counts.enumerated() where count > 0 {
                for _ in 0..<count { indices.append(row) }
            }
            return indices
        }

        /// The counts as `Double` sample weights. Allocates.
        package var weights: [Double] { counts.map(Double.init) }

        /// The resample's mean of `values` (one per row): Σ countᵢ·valuesᵢ / rows, summed in
        /// row order. Nil when `values` does not have one value per row.
        package func mean(of values: [Double]) -> Double? {
            guard values.count == counts.count, !counts.isEmpty else { return nil }
            var sum = 0.0
            for row in 0..<counts.count { sum += Double(counts[row]) * values[row] }
            return sum / Double(counts.count)
        }
    }

    /// A percentile interval and how many resamples it rests on.
    package struct Interval: Sendable, Equatable {
        /// The (1 − level)/2 quantile of the bootstrap distribution.
        package let low: Double
        /// The (1 + level)/2 quantile of the bootstrap distribution.
        package let high: Double
        /// The confidence level asked for, e.g. 0.95.
        package let level: Double
        /// Resamples drawn.
        package let resamples: Int
        /// Resamples dropped because the statistic was undefined (nil or not finite) on them.
        package let undefinedResamples: Int

        /// Resamples whose statistic made the distribution.
        package var definedResamples: Int { resamples - undefinedResamples }
    }

    /// The bootstrap percentile interval of `statistic` over `rows` rows.
    ///
    /// Draws `resamples` resamples (deterministic for `seed`, see ``Bootstrap``), evaluates
    /// `statistic` on each, drops and counts those where it is nil, NaN or infinite (a class
    /// missing from the resample, say), and returns the (1 − level)/2 and (1 + level)/2
    /// quantiles of the rest with NumPy's default "linear" method (Hyndman & Fan type 7):
    /// equal to `np.quantile(d, [(1 - level) / 2, (1 + level) / 2], method="linear")`, i.e.
    /// `np.percentile` at 100 times those, on the defined statistics d.
    ///
    /// The statistic sees one ``Resample`` at a time; the counts' buffer is refilled in place
    /// for the next one, so keeping a resample is safe (it is a value) but costs a copy.
    ///
    /// - Parameters:
    ///   - rows: how many rows the statistic's data has; each resample draws this many.
    ///   - level: the confidence level, strictly between 0 and 1.
    ///   - resamples: how many resamples to draw, at least 1.
    ///   - seed: the generator's seed.
    ///   - statistic: the statistic on a resample, or nil where it is undefined.
    /// - Returns: The interval, or `.undefined` with the reason when the arguments are out of
    ///   range or the statistic was undefined on every resample.
    package static func percentileInterval(
        rows: Int,
        level: Double = 0.95,
        resamples: Int = 1000,
        seed: UInt64,
        statistic: (Resample) throws -> Double?
    ) rethrows -> Computed<Interval> {
        guard rows > 0 else { return .undefined("no rows to resample") }
        guard level > 0, level < 1 else { return .undefined("level must be strictly between 0 and 1; got \(level)") }
        guard resamples > 0 else { return .undefined("resamples must be at least 1; got \(resamples)") }

        let statistics = try distribution(rows: rows, resamples: resamples, seed: seed, statistic: statistic)
        let undefined = resamples - statistics.count
        guard !statistics.isEmpty else {
            return .undefined("the statistic was undefined on all \(resamples) resamples")
        }
        let sorted = statistics.sorted()
        return .value(
            Interval(
                low: linearQuantile(sorted: sorted, (1 - level) / 2),
                high: linearQuantile(sorted: sorted, (1 + level) / 2),
                level: level,
                resamples: resamples,
                undefinedResamples: undefined
            ))
    }

    /// Percentile intervals of several statistics of the same rows, from one set of resamples.
    ///
    /// The same as calling ``percentileInterval(rows:level:resamples:seed:statistic:)`` once per
    /// statistic with the same seed (each interval equals that call's), but every resample is
    /// drawn once and handed to `statistics`, which returns one value (or nil) per statistic:
    /// for metrics that share one expensive preparation per resample (gathering the rows,
    /// encoding labels), that preparation is done once instead of once per metric.
    ///
    /// - Parameters:
    ///   - count: how many statistics `statistics` returns per resample.
    /// - Returns: One outcome per statistic, in `statistics`' order.
    package static func percentileIntervals(
        rows: Int,
        level: Double = 0.95,
        resamples: Int = 1000,
        seed: UInt64,
        count: Int,
        statistics: (Resample) throws -> [Double?]
    ) rethrows -> [Computed<Interval>] {
        guard rows > 0 else { return Array(repeating: .undefined("no rows to resample"), count: count) }
        guard level > 0, level < 1 else { return Array(repeating: .undefined("level must be strictly between 0 and 1; got \(level)"), count: count) }
        guard resamples > 0 else { return Array(repeating: .undefined("resamples must be at least 1; got \(resamples)"), count: count) }
        var values = [[Double]](repeating: [], count: count)
        _ = try distribution(rows: rows, resamples: resamples, seed: seed) { resample in
            let computed = try statistics(resample)
            for index in 0..<min(count, computed.count) {
                if let value = computed[index], value.isFinite { values[index].append(value) }
            }
            return nil
        }
        return values.map { defined in
            guard !defined.isEmpty else { return .undefined("the statistic was undefined on all \(resamples) resamples") }
            let sorted = defined.sorted()
            return .value(
                Interval(
                    low: linearQuantile(sorted: sorted, (1 - level) / 2),
                    high: linearQuantile(sorted: sorted, (1 + level) / 2),
                    level: level,
                    resamples: resamples,
                    undefinedResamples: resamples - defined.count
                ))
        }
    }

    /// The bootstrap distribution: the statistic on each resample where it is defined
    /// (finite), in resample order.
    ///
    /// The resamples are those of ``percentileInterval(rows:level:resamples:seed:statistic:)``
    /// for the same arguments; use it for other intervals (basic, BCa) or a histogram.
    package static func distribution(
        rows: Int,
        resamples: Int,
        seed: UInt64,
        statistic: (Resample) throws -> Double?
    ) rethrows -> [Double] {
        guard rows > 0, resamples > 0 else { return [] }
        var generator = RandomSource(seed: seed)
        var resample = Resample(counts: [Int](repeating: 0, count: rows))
        var statistics: [Double] = []
        statistics.reserveCapacity(resamples)
        let bound = UInt64(rows)
        for _ in 0..<resamples {
            resample.counts.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                for _ in 0..<rows { counts[Int(generator.next(below: bound))] += 1 }
            }
            if let value = try statistic(resample), value.isFinite {
                statistics.append(value)
            }
        }
        return statistics
    }

    /// NumPy's "linear" quantile (Hyndman & Fan type 7) of ascending `sorted`, q in [0, 1].
    ///
    /// The virtual index is (n − 1)·q; between its neighbours a and b with fraction t,
    /// NumPy's `_lerp` gives a + (b − a)·t for t < 0.5 and b − (b − a)·(1 − t) otherwise,
    /// which this repeats so results match to the last bit.
    static func linearQuantile(sorted: [Double], _ q: Double) -> Double {
        let virtualIndex = Double(sorted.count - 1) * q
        let below = virtualIndex.rounded(.down)
        let lower = min(max(Int(below), 0), sorted.count - 1)
        let upper = min(lower + 1, sorted.count - 1)
        let t = virtualIndex - below
        let a = sorted[lower]
        let b = sorted[upper]
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }

    /// xoshiro256** seeded by splitmix64, with Lemire's unbiased bounded integers.
    struct RandomSource {
        private var state: (UInt64, UInt64, UInt64, UInt64)

        /// The four state words are four successive splitmix64 outputs from `seed`, as the
        /// xoshiro authors recommend.
        init(seed: UInt64) {
            var splitMix = SplitMix64(state: seed)
            state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
        }

        /// The next 64 random bits (xoshiro256**, Blackman & Vigna 2018).
        mutating func next() -> UInt64 {
            let result = rotateLeft(state.1 &* 5, 7) &* 9
            let t = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= t
            state.3 = rotateLeft(state.3, 45)
            return result
        }

        /// A uniform integer in 0..<bound (bound > 0): Lemire's multiply-shift, rejecting the
        /// low products that would bias it.
        mutating func next(below bound: UInt64) -> UInt64 {
            var product = next().multipliedFullWidth(by: bound)
            if product.low < bound {
                let threshold = (0 &- bound) % bound
                while product.low < threshold {
                    product = next().multipliedFullWidth(by: bound)
                }
            }
            return product.high
        }

        private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
            (x << k) | (x >> (64 - k))
        }
    }
}
