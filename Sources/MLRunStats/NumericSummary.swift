import Foundation

/// What the binned and mean-based drift measures need of a numeric reference sample that is
/// not at hand any more (a reference snapshot keeps this instead of every value): its size,
/// mean, population standard deviation, decile edges and the count in each decile bin.
///
/// PSI and Jensen–Shannon from a summary equal them from the values it was made of, and so
/// does the z-score: ``BinnedProportions/numeric(reference:current:)-(NumericSummary,_)`` and
/// ``MeanShift/zScore(reference:current:)-(NumericSummary,_)`` compute exactly what the
/// value-taking versions compute.
package struct NumericSummary: Sendable, Equatable {
    /// The number of values.
    package let count: Int
    /// The mean (compensated sum / count).
    package let mean: Double
    /// The population standard deviation (ddof = 0, two-pass, as `np.std`).
    package let standardDeviation: Double
    /// The inner bin edges: the nine linear deciles, equal ones merged (see ``BinnedProportions``).
    package let edges: [Double]
    /// The number of values in each of the `edges.count + 1` bins.
    package let binCounts: [Int]

    /// The summary of `values`.
    ///
    /// - Returns: The summary, or `.undefined` for an empty sample.
    /// - Throws: ``StatsInputError`` for the first NaN or infinite value.
    package static func of(_ values: [Double]) throws(StatsInputError) -> Computed<NumericSummary> {
        try StatsInputError.check(values, .reference, finite: true)
        guard !values.isEmpty else { return .undefined("an empty sample has no summary") }
        let edges = decileEdges(sorted: RadixSort.sorted(values))
        return .value(
            NumericSummary(
                count: values.count, mean: MeanShift.mean(values),
                standardDeviation: MeanShift.populationStandardDeviation(values),
                edges: edges, binCounts: binCounts(values, edges: edges)))
    }

    /// A summary as stored (a snapshot file), checked for consistency.
    ///
    /// - Returns: The summary, or `.undefined` saying what does not add up.
    package static func stored(count: Int, mean: Double, standardDeviation: Double, edges: [Double], binCounts: [Int]) -> Computed<NumericSummary> {
        guard count > 0, mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
            return .undefined("count must be positive and mean and standard deviation finite and non-negative")
        }
        guard binCounts.count == edges.count + 1, binCounts.allSatisfy({ $0 >= 0 }), binCounts.reduce(0, +) == count else {
            return .undefined("\(binCounts.count) bin counts for \(edges.count) edges, summing to \(binCounts.reduce(0, +)) of \(count) values")
        }
        guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return .undefined("the edges must be finite and strictly increasing")
        }
        return .value(NumericSummary(count: count, mean: mean, standardDeviation: standardDeviation, edges: edges, binCounts: binCounts))
    }

    private init(count: Int, mean: Double, standardDeviation: Double, edges: [Double], binCounts: [Int]) {
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.edges = edges
        self.binCounts = binCounts
    }

    /// NumPy's linear deciles of ascending `sorted`, equal edges merged (as `np.unique`).
    static func decileEdges(sorted: [Double]) -> [Double] {
        var edges = [Double]()
        for edge in Quantiles.linear(sorted: sorted, at: BinnedProportions.deciles) ?? [] where edges.last != edge {
            edges.append(edge)
        }
        return edges
    }

    /// The count of `values` in each bin: bin `np.searchsorted(edges, v, side="right")`.
    static func binCounts(_ values: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for v in values {
            var low = 0, high = edges.count
            while low < high {
                let mid = (low + high) / 2
                if edges[mid] <= v { low = mid + 1 } else { high = mid }
            }
            counts[low] += 1
        }
        return counts
    }
}

extension BinnedProportions {
    /// A summarised reference and a current sample over the reference's decile bins: the same
    /// as ``numeric(reference:current:)-(_,[Double])`` on the values the summary was made of.
    ///
    /// - Throws: ``StatsInputError`` for the first NaN or infinite current value.
    package static func numeric(reference: NumericSummary, current: [Double]) throws(StatsInputError) -> Computed<BinnedProportions> {
        try StatsInputError.check(current, .current, finite: true)
        guard !current.isEmpty else {
            return .undefined("binning needs two non-empty samples; got \(reference.count) reference and 0 current values")
        }
        return .value(
            BinnedProportions(
                bins: .numeric(edges: reference.edges), referenceCounts: reference.binCounts,
                currentCounts: NumericSummary.binCounts(current, edges: reference.edges)))
    }
}

extension MeanShift {
    /// The z-score of `current`'s mean against a summarised reference: the same as
    /// ``zScore(reference:current:)-(_,[Double])`` on the values the summary was made of.
    package static func zScore(reference: NumericSummary, current: [Double]) throws(StatsInputError) -> Computed<MeanShift> {
        try StatsInputError.check(current, .current, finite: true)
        guard !current.isEmpty else {
            return .undefined("the z-score needs two non-empty samples; got \(reference.count) reference and 0 current values")
        }
        let c = mean(current)
        return .value(
            MeanShift(
                referenceMean: reference.mean, currentMean: c, referenceStandardDeviation: reference.standardDeviation,
                zScore: abs(c - reference.mean) / (reference.standardDeviation + epsilon)))
    }
}
