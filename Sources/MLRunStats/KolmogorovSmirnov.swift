import Foundation

/// The two-sample Kolmogorov–Smirnov test, equal to
/// `scipy.stats.ks_2samp(reference, current, alternative="two-sided", method="auto")`.
///
/// D = sup_x |F_ref(x) − F_cur(x)| over the two empirical CDFs, evaluated at every pooled value
/// (ties across the samples included, as SciPy's `searchsorted(..., side="right")`), after one
/// radix sort of each sample and a merge: O((n + m) log(n + m)) at worst, O(n + m) in practice.
///
/// The p-value, as SciPy's "auto" method:
/// - max(n, m) ≤ 10,000: exact. With g = gcd(n, m) and L = nm/g, D is rounded to h/L
///   (h = round(D·L), and the reported statistic is h/L). P(D ≥ h/L) is the share of the
///   C(n + m, n) monotone lattice paths from (0, 0) to (n, m) that touch |x/n − y/m| ≥ h/L
///   (Hodges 1958): for n = m the reflection sum 2 Σ_{k≥1} (−1)^{k−1} C(2n, n − kh)/C(2n, n),
///   evaluated in SciPy's Horner form and order, otherwise the probability of leaving the band,
///   propagated column by column as P(i, j) = (i·P(i − 1, j) + j·P(i, j − 1))/(i + j) with
///   P = 1 outside the band. Where the n = m form rounds outside [0, 1] (SciPy then falls back),
///   the asymptotic p-value below is used, with the rounded D, as SciPy does.
/// - otherwise: asymptotic, `kstwo.sf(D, round(nm/(n + m)))`, the one-sample two-sided
///   distribution at the effective size (``SpecialFunctions/kolmogorovSmirnovSurvival(_:_:)``).
package struct KolmogorovSmirnov: DriftTest, Sendable, Equatable {
    /// How the p-value was computed.
    package enum Method: String, Sendable {
        /// The exact lattice-path probability (both samples of at most 10,000 values).
        case exact
        /// The one-sample distribution at the effective size round(nm/(n + m)).
        case asymptotic
    }

    /// D, the largest distance between the two empirical CDFs (on the exact path rounded to the
    /// nearest multiple of 1/lcm(n, m), as SciPy reports it).
    package let statistic: Double
    /// The two-sided p-value, in [0, 1].
    package let pValue: Double
    /// How the p-value was computed.
    package let method: Method
    /// n, the size of the reference sample.
    package let referenceCount: Int
    /// m, the size of the current sample.
    package let currentCount: Int

    /// D itself: it is already a size of effect in [0, 1] that does not grow with n and m.
    package var effectSize: Double { statistic }

    /// The largest sample size SciPy's "auto" method computes the exact p-value for.
    package static let exactLimit = 10_000

    /// The two-sample Kolmogorov–Smirnov test of `reference` against `current`.
    ///
    /// ±infinity is an ordinary value here (it only has to be ordered).
    ///
    /// - Returns: The test, or `.undefined` when a sample is empty (SciPy raises).
    /// - Throws: ``StatsInputError/notANumber(sample:index:)`` for the first NaN.
    package static func test(reference: [Double], current: [Double]) throws(StatsInputError) -> Computed<KolmogorovSmirnov> {
        try StatsInputError.check(reference, .reference, finite: false)
        try StatsInputError.check(current, .current, finite: false)
        guard !reference.isEmpty, !current.isEmpty else {
            return .undefined(
                "the Kolmogorov–Smirnov test needs two non-empty samples; got \(reference.count) reference and \(current.count) current values")
        }
        let d = statistic(sortedKeys: sortedKeyPair(reference, current))
        return .value(test(statistic: d, referenceCount: reference.count, currentCount: current.count))
    }

    /// The test from an already computed statistic D and the two sample sizes (both ≥ 1).
    static func test(statistic d: Double, referenceCount n1: Int, currentCount n2: Int) -> KolmogorovSmirnov {
        var d = d
        if max(n1, n2) <= exactLimit {
            let exact = exactPValue(statistic: d, n1, n2)
            d = exact.statistic
            if let p = exact.pValue {
                return KolmogorovSmirnov(
                    statistic: d, pValue: min(max(p, 0), 1), method: .exact,
                    referenceCount: n1, currentCount: n2)
            }
        }
        let (m, n) = (Double(max(n1, n2)), Double(min(n1, n2)))
        let effective = (m * n / (m + n)).rounded(.toNearestOrEven)
        let p = SpecialFunctions.kolmogorovSmirnovSurvival(Int(effective), d)
        return KolmogorovSmirnov(
            statistic: d, pValue: min(max(p, 0), 1), method: .asymptotic,
            referenceCount: n1, currentCount: n2)
    }

    /// Both samples' sorted order-preserving keys, sorted concurrently when they are large.
    static func sortedKeyPair(_ a: [Double], _ b: [Double]) -> ([UInt64], [UInt64]) {
        if a.count + b.count < 200_000 {
            return (RadixSort.sortedKeys(a), RadixSort.sortedKeys(b))
        }
        nonisolated(unsafe) var keysA = [UInt64]()
        nonisolated(unsafe) var keysB = [UInt64]()
        DispatchQueue.concurrentPerform(iterations: 2) { which in
            if which == 0 { keysA = RadixSort.sortedKeys(a) } else { keysB = RadixSort.sortedKeys(b) }
        }
        return (keysA, keysB)
    }

    /// D from both samples' sorted keys: the largest |c₁/n₁ − c₂/n₂| over the pooled values,
    /// with cᵢ the count of sample i at or below the value, each quotient rounded as NumPy's.
    static func statistic(sortedKeys: ([UInt64], [UInt64])) -> Double {
        let (a, b) = sortedKeys
        let n1 = Double(a.count), n2 = Double(b.count)
        var largest = 0.0, smallest = 0.0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var i = 0, j = 0
                while i < a.count || j < b.count {
                    let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
                    while i < a.count && a[i] == next { i &+= 1 }
                    while j < b.count && b[j] == next { j &+= 1 }
                    let difference = Double(i) / n1 - Double(j) / n2
                    if difference > largest { largest = difference }
                    if difference < smallest { smallest = difference }
                }
            }
        }
        return max(largest, min(-smallest, 1))
    }
}
