import Foundation

/// The first Wasserstein (earth mover's) distance between two samples, equal to
/// `scipy.stats.wasserstein_distance(reference, current)`, and normalized by the reference's
/// standard deviation as Evidently reports it.
///
/// W₁ = ∫ |F_ref(x) − F_cur(x)| dx over the empirical CDFs (Vallender 1974), the sum over
/// consecutive pooled values of |F_ref − F_cur|·(gap); O((n + m) log(n + m)) after one sort of
/// each sample.
package struct Wasserstein: Sendable, Equatable {
    /// The raw distance W₁, in the data's units.
    package let distance: Double
    /// The reference's population standard deviation (ddof = 0, as `np.std`).
    package let referenceStandardDeviation: Double
    /// W₁/std(reference), comparable across columns; undefined when std(reference) = 0.
    package let normalized: Computed<Double>

    /// W₁ between `reference` and `current`, and its normalized value.
    ///
    /// - Returns: The distances, or `.undefined` when a sample is empty.
    /// - Throws: ``StatsInputError`` for the first NaN or infinite value.
    package static func distance(reference: [Double], current: [Double]) throws(StatsInputError) -> Computed<Wasserstein> {
        try StatsInputError.check(reference, .reference, finite: true)
        try StatsInputError.check(current, .current, finite: true)
        guard !reference.isEmpty, !current.isEmpty else {
            return .undefined(
                "the Wasserstein distance needs two non-empty samples; got \(reference.count) reference and \(current.count) current values")
        }
        let (a, b) = KolmogorovSmirnov.sortedKeyPair(reference, current)
        let n1 = Double(a.count), n2 = Double(b.count)
        var sum = 0.0, compensation = 0.0
        var i = 0, j = 0
        var previous = 0.0
        var started = false
        var gapWeight = 0.0
        while i < a.count || j < b.count {
            let key = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            let value = RadixSort.value(ofKey: key)
            if started { accumulate(&sum, &compensation, gapWeight * (value - previous)) }
            while i < a.count && a[i] == key { i += 1 }
            while j < b.count && b[j] == key { j += 1 }
            gapWeight = abs(Double(i) / n1 - Double(j) / n2)
            previous = value
            started = true
        }
        let distance = sum + compensation
        let std = MeanShift.populationStandardDeviation(reference)
        let normalized: Computed<Double> =
            std > 0
            ? .value(distance / std)
            : .undefined(
                "the reference has zero standard deviation (all \(reference.count) values equal), so the normalized Wasserstein distance divides by zero; the raw distance is \(distance)"
            )
        return .value(Wasserstein(distance: distance, referenceStandardDeviation: std, normalized: normalized))
    }
}
