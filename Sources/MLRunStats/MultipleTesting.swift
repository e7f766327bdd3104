/// Corrections of p-values for testing many columns at once, equal to
/// `statsmodels.stats.multitest.multipletests(p, alpha, method=…)`.
///
/// With m p-values (sorted ascending as p₍₁₎ ≤ … ≤ p₍ₘ₎ where the method needs it):
/// - ``Method/none``: adjusted = p, reject where p ≤ α.
/// - ``Method/bonferroni``: adjusted = min(1, m·p), reject where p ≤ α/m (Bonferroni; Dunn 1961).
/// - ``Method/holm``: step-down (Holm 1979): reject p₍ᵢ₎ while p₍ᵢ₎ ≤ α/(m − i + 1), stopping at
///   the first that is not; adjusted p₍ᵢ₎ = min(1, max_{j≤i} (m − j + 1)·p₍ⱼ₎).
/// - ``Method/benjaminiHochberg``: step-up false discovery rate (Benjamini & Hochberg 1995,
///   statsmodels' "fdr_bh"): reject p₍₁₎…p₍ₖ₎ for the largest k with p₍ₖ₎ ≤ (k/m)·α; adjusted
///   p₍ᵢ₎ = min(1, min_{j≥i} p₍ⱼ₎/(j/m)).
/// Thresholds and products are formed in statsmodels' order, so decisions agree exactly at
/// the boundary.
package enum MultipleTesting {
    /// A correction method.
    package enum Method: String, Sendable, CaseIterable {
        /// No correction: each p-value against α.
        case none
        /// Bonferroni: m·p against α.
        case bonferroni
        /// Holm's step-down.
        case holm
        /// Benjamini–Hochberg, statsmodels' "fdr_bh".
        case benjaminiHochberg = "bh"
    }

    /// Adjusted p-values and decisions, in the order of the input.
    package struct Adjusted: Sendable, Equatable {
        /// The adjusted p-values.
        package let pValues: [Double]
        /// Whether each hypothesis is rejected at the family-wise (or false discovery) level α.
        package let rejected: [Bool]
    }

    /// Adjusts `pValues` by `method` at level `alpha`.
    ///
    /// - Throws: ``StatsInputError/invalidPValue(index:value:)`` for a NaN or a value outside
    ///   [0, 1]; ``StatsInputError/invalidAlpha(_:)`` unless 0 < α < 1.
    package static func adjust(_ pValues: [Double], alpha: Double, method: Method) throws(StatsInputError) -> Adjusted {
        guard alpha > 0, alpha < 1 else { throw .invalidAlpha(alpha) }
        for (index, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw .invalidPValue(index: index, value: p)
        }
        let m = pValues.count
        guard m > 0 else { return Adjusted(pValues: [], rejected: []) }
        let count = Double(m)
        switch method {
        case .none:
            return Adjusted(pValues: pValues, rejected: pValues.map { $0 <= alpha })
        case .bonferroni:
            let threshold = alpha / count
            return Adjusted(pValues: pValues.map { min($0 * count, 1) }, rejected: pValues.map { $0 <= threshold })
        case .holm, .benjaminiHochberg:
            let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
            let sorted = order.map { pValues[$0] }
            let (adjusted, rejected) = method == .holm ? holm(sorted)(alpha) : benjaminiHochberg(sorted)(alpha)
            var adjustedOut = [Double](repeating: 0, count: m), rejectedOut = [Bool](repeating: false, count: m)
            for (rank, index) in order.enumerated() {
                adjustedOut[index] = adjusted[rank]
                rejectedOut[index] = rejected[rank]
            }
            return Adjusted(pValues: adjustedOut, rejected: rejectedOut)
        }
    }

    private static func holm(_ sorted: [Double]) -> (Double) -> ([Double], [Bool]) {
        { alpha in
            let m = sorted.count
            var rejected = [Bool](repeating: false, count: m)
            for i in 0..<m {
                guard sorted[i] <= alpha / Double(m - i) else { break }
                rejected[i] = true
            }
            var adjusted = [Double](repeating: 0, count: m)
            var running = -Double.infinity
            for i in 0..<m {
                running = max(running, sorted[i] * Double(m - i))
                adjusted[i] = min(running, 1)
            }
            return (adjusted, rejected)
        }
    }

    private static func benjaminiHochberg(_ sorted: [Double]) -> (Double) -> ([Double], [Bool]) {
        { alpha in
            let m = sorted.count
            let count = Double(m)
            var last = -1
            for i in 0..<m where sorted[i] <= Double(i + 1) / count * alpha { last = i }
            let rejected = (0..<m).map { $0 <= last }
            var adjusted = [Double](repeating: 0, count: m)
            var running = Double.infinity
            for i in stride(from: m - 1, through: 0, by: -1) {
                running = min(running, sorted[i] / (Double(i + 1) / count))
                adjusted[i] = min(running, 1)
            }
            return (adjusted, rejected)
        }
    }
}
