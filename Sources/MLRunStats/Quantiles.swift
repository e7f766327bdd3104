/// Quantiles of a sample by linear interpolation between order statistics, as NumPy's default.
///
/// `np.quantile(a, q)` with `method="linear"` (Hyndman & Fan's type 7): the virtual index is
/// h = (n − 1)·q, and the quantile lies between the order statistics at ⌊h⌋ and ⌊h⌋ + 1 at
/// fraction g = h − ⌊h⌋. The interpolation is evaluated as NumPy's `_lerp` does — a + (b − a)·g
/// when g < 0.5, b − (b − a)·(1 − g) otherwise — so the result is the same double, which
/// matters when the quantiles are bin edges and data sit exactly on them.
package enum Quantiles {
    /// The linear quantiles of `sorted` (ascending, finite, non-empty) at each of `probabilities`
    /// (each in [0, 1]); nil when `sorted` is empty or a probability is outside [0, 1] or NaN.
    package static func linear(sorted: [Double], at probabilities: [Double]) -> [Double]? {
        guard !sorted.isEmpty else { return nil }
        var result = [Double]()
        result.reserveCapacity(probabilities.count)
        for q in probabilities {
            guard q >= 0, q <= 1 else { return nil }
            let h = Double(sorted.count - 1) * q
            let below = h.rounded(.down)
            let g = h - below
            let i = Int(below)
            let a = sorted[i]
            let b = sorted[min(i + 1, sorted.count - 1)]
            let difference = b - a
            result.append(g >= 0.5 ? b - difference * (1 - g) : a + difference * g)
        }
        return result
    }

    /// The linear quantiles of an unsorted sample; see ``linear(sorted:at:)``.
    ///
    /// - Throws: ``StatsInputError`` for a NaN or infinite value.
    package static func linear(_ values: [Double], at probabilities: [Double]) throws(StatsInputError) -> [Double]? {
        try StatsInputError.check(values, .reference, finite: true)
        return linear(sorted: RadixSort.sorted(values), at: probabilities)
    }
}
