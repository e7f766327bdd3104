import Foundation

/// Two samples' proportions over shared bins: the input of PSI and the Jensen–Shannon distance.
///
/// This is mlrun's definition; the usual references disagree (Evidently bins numeric data into
/// Sturges' number of bins and uses an adaptive floor, deepchecks floors proportions at 0.01),
/// so mlrun fixes one and documents it:
/// - numeric: 10 bins cut at the reference's nine inner deciles, NumPy's default linear
///   `np.quantile(reference, [0.1, …, 0.9])`; equal edges merged (as `np.unique`), so heavily
///   tied data get fewer bins; the outer bins are open; a value v goes to bin
///   `np.searchsorted(edges, v, side="right")` (the number of edges ≤ v). Deciles of the
///   reference give every bin about a tenth of the reference, the classic credit-scoring PSI.
/// - categorical: one bin per category, over the union of both samples' categories.
/// - proportions are count/size, then floored at 1e-4 (`max(p, 1e-4)`) so the logarithms of
///   empty bins stay finite; the floor is not renormalized for PSI (as the classic formula).
package struct BinnedProportions: Sendable, Equatable {
    /// How the bins were formed.
    package enum Bins: Sendable, Equatable {
        /// Numeric bins between these ascending inner edges (edges.count + 1 bins).
        case numeric(edges: [Double])
        /// One bin per category.
        case categorical([String])
    }

    /// The floor every proportion is raised to.
    package static let floor = 1e-4
    /// The deciles the numeric edges are cut at.
    package static let deciles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

    /// The bins.
    package let bins: Bins
    /// The reference sample's count in each bin.
    package let referenceCounts: [Int]
    /// The current sample's count in each bin.
    package let currentCounts: [Int]
    /// The reference proportions, floored at 1e-4.
    package let reference: [Double]
    /// The current proportions, floored at 1e-4.
    package let current: [Double]

    init(bins: Bins, referenceCounts: [Int], currentCounts: [Int]) {
        self.bins = bins
        self.referenceCounts = referenceCounts
        self.currentCounts = currentCounts
        let r = Double(referenceCounts.reduce(0, +)), c = Double(currentCounts.reduce(0, +))
        reference = referenceCounts.map { max(Double($0) / r, Self.floor) }
        current = currentCounts.map { max(Double($0) / c, Self.floor) }
    }

    /// Numeric samples binned at the reference's deciles.
    ///
    /// - Returns: The proportions, or `.undefined` when a sample is empty.
    /// - Throws: ``StatsInputError`` for the first NaN or infinite value.
    package static func numeric(reference: [Double], current: [Double]) throws(StatsInputError) -> Computed<BinnedProportions> {
        try StatsInputError.check(reference, .reference, finite: true)
        try StatsInputError.check(current, .current, finite: true)
        guard !reference.isEmpty, !current.isEmpty else {
            return .undefined("binning needs two non-empty samples; got \(reference.count) reference and \(current.count) current values")
        }
        let edges = NumericSummary.decileEdges(sorted: RadixSort.sorted(reference))
        return .value(
            BinnedProportions(
                bins: .numeric(edges: edges), referenceCounts: NumericSummary.binCounts(reference, edges: edges),
                currentCounts: NumericSummary.binCounts(current, edges: edges)))
    }

    /// Categorical samples, one bin per category of the union.
    ///
    /// - Returns: The proportions, or `.undefined` when a sample is empty.
    package static func categorical(_ counts: CategoryCounts) -> Computed<BinnedProportions> {
        guard counts.referenceTotal > 0, counts.currentTotal > 0 else {
            return .undefined("binning needs two non-empty samples; got \(counts.referenceTotal) reference and \(counts.currentTotal) current counts")
        }
        return .value(
            BinnedProportions(
                bins: .categorical(counts.categories), referenceCounts: counts.reference,
                currentCounts: counts.current))
    }

    /// The population stability index PSI = Σ (c − r)·ln(c/r) over the floored proportions
    /// (Siddiqi, "Credit Risk Scorecards", 2006); 0 for identical proportions, and by the usual
    /// rule of thumb < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
    package var populationStabilityIndex: Double {
        compensatedSum(zip(reference, current).map { r, c in (c - r) * log(c / r) })
    }

    /// The Jensen–Shannon distance in bits, as
    /// `scipy.spatial.distance.jensenshannon(reference, current, base=2)` on the floored
    /// proportions: both are first renormalized to sum 1 (as SciPy does), m = (p + q)/2, and
    /// JS = √((KL(p‖m) + KL(q‖m))/(2 ln 2)) (Lin 1991; Endres & Schindelin 2003). In [0, 1].
    package var jensenShannonDistance: Double {
        let sumP = compensatedSum(reference), sumQ = compensatedSum(current)
        var left = 0.0, leftCompensation = 0.0, right = 0.0, rightCompensation = 0.0
        for (r, c) in zip(reference, current) {
            let p = r / sumP, q = c / sumQ
            let m = (p + q) / 2
            accumulate(&left, &leftCompensation, p * log(p / m))
            accumulate(&right, &rightCompensation, q * log(q / m))
        }
        let js = ((left + leftCompensation) + (right + rightCompensation)) / log(2.0)
        return max(js / 2, 0).squareRoot()
    }
}
