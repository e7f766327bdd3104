import Foundation

/// The shift of the mean in units of the reference's spread, as Evidently's z-score drift:
/// z = |mean(current) − mean(reference)|/(std(reference) + 1e-8), std the population standard
/// deviation (ddof = 0, `np.std`). The 1e-8 keeps a constant reference defined (any shift of
/// its mean is then huge, which is what a constant column that moved should read as).
package struct MeanShift: Sendable, Equatable {
    /// The mean of the reference sample.
    package let referenceMean: Double
    /// The mean of the current sample.
    package let currentMean: Double
    /// The reference's population standard deviation.
    package let referenceStandardDeviation: Double
    /// |mean(current) − mean(reference)|/(std(reference) + 1e-8).
    package let zScore: Double

    /// The guard added to the standard deviation.
    package static let epsilon = 1e-8

    /// The z-score of `current`'s mean against `reference`.
    ///
    /// - Returns: The shift, or `.undefined` when a sample is empty.
    /// - Throws: ``StatsInputError`` for the first NaN or infinite value.
    package static func zScore(reference: [Double], current: [Double]) throws(StatsInputError) -> Computed<MeanShift> {
        try StatsInputError.check(reference, .reference, finite: true)
        try StatsInputError.check(current, .current, finite: true)
        guard !reference.isEmpty, !current.isEmpty else {
            return .undefined("the z-score needs two non-empty samples; got \(reference.count) reference and \(current.count) current values")
        }
        let r = mean(reference), c = mean(current)
        let std = populationStandardDeviation(reference)
        return .value(
            MeanShift(
                referenceMean: r, currentMean: c, referenceStandardDeviation: std,
                zScore: abs(c - r) / (std + epsilon)))
    }

    /// The arithmetic mean, compensated-summed (values non-empty).
    static func mean(_ values: [Double]) -> Double {
        compensatedSum(values) / Double(values.count)
    }

    /// √(Σ(x − mean)²/n), two-pass as NumPy's `np.std` (values non-empty).
    static func populationStandardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return (compensatedSum(values.lazy.map { ($0 - m) * ($0 - m) }) / Double(values.count)).squareRoot()
    }
}
