/// Rows tallied into the 10 uniform bins of sklearn's
/// `calibration_curve(y_true, y_prob, n_bins=10, strategy="uniform")`.
///
/// The edges are `np.linspace(0, 1, 11)`, which numpy computes as i · 0.1 (so the fourth edge
/// is 0.30000000000000004, not 0.3) with the last set to exactly 1. A probability goes to bin
/// `np.searchsorted(edges[1:-1], p)`, numpy's default `side="left"`: the number of inner edges
/// strictly below p. So each bin is (edgeᵢ, edgeᵢ₊₁] and 0 falls in the first.
/// (sklearn 1.9.1's source calls `searchsorted` without `side`; `side="right"` would move a
/// probability equal to an edge one bin up.)
struct CalibrationBins {
    static let binCount = 10
    /// `np.linspace(0.0, 1.0, 11)`: arange(11) * step + start, last element set to stop.
    static let edges: [Double] = (0...binCount).map { $0 == binCount ? 1.0 : Double($0) * (1.0 / Double(binCount)) }

    /// Rows per bin.
    private(set) var rows = [Int](repeating: 0, count: binCount)
    /// Positive rows per bin (sklearn's `bin_true`).
    private(set) var positives = [Int](repeating: 0, count: binCount)
    /// The sum of the probabilities per bin (sklearn's `bin_sums`).
    private(set) var probabilitySums = [Double](repeating: 0, count: binCount)

    /// The bin of probability `p` in [0, 1]: `np.searchsorted(edges[1:-1], p, side="left")`,
    /// the number of inner edges strictly below p. ⌊10p⌋ is the bin or next to it (10p rounds,
    /// and the edges are i·0.1 rounded); the comparisons settle it exactly.
    @inline(__always)
    static func bin(of p: Double, edges e: UnsafeBufferPointer<Double>) -> Int {
        var bin = min(max(Int((p * Double(binCount)).rounded(.down)), 0), binCount - 1)
        while bin > 0 && !(e[bin] < p) { bin -= 1 }
        while bin < binCount - 1 && e[bin + 1] < p { bin += 1 }
        return bin
    }

    /// The bin of `p` (see `bin(of:edges:)`).
    static func bin(of p: Double) -> Int {
        edges.withUnsafeBufferPointer { bin(of: p, edges: $0) }
    }

    init(
        scores: UnsafeBufferPointer<Double>, stride: Int, offset: Int,
        labels: UnsafeBufferPointer<Int32>, positive: Int32
    ) {
        var rows = [Int](repeating: 0, count: Self.binCount)
        var positives = [Int](repeating: 0, count: Self.binCount)
        var sums = [Double](repeating: 0, count: Self.binCount)
        Self.edges.withUnsafeBufferPointer { e in
            rows.withUnsafeMutableBufferPointer { r in
                positives.withUnsafeMutableBufferPointer { q in
                    sums.withUnsafeMutableBufferPointer { s in
                        // Each bin's sum in row order, as np.bincount(weights=…) adds.
                        for i in 0..<labels.count {
                            let p = scores[offset &+ i &* stride]
                            let b = Self.bin(of: p, edges: e)
                            r[b] &+= 1
                            s[b] += p
                            if labels[i] == positive { q[b] &+= 1 }
                        }
                    }
                }
            }
        }
        self.rows = rows
        self.positives = positives
        self.probabilitySums = sums
    }

    /// |mean(y_b) − mean(p_b)| and the bin's share of all rows, for each non-empty bin.
    var gaps: [(gap: Double, weight: Double)] {
        let total = Double(rows.reduce(0, +))
        return (0..<Self.binCount).filter { rows[$0] > 0 }.map { b in
            let n = Double(rows[b])
            // prob_true − prob_pred, each divided by the bin's count as sklearn does.
            return (abs(Double(positives[b]) / n - probabilitySums[b] / n), n / total)
        }
    }
}

extension Classification {
    /// Expected calibration error over sklearn's 10 uniform bins: Σ_b (n_b / N)·|mean(y_b) −
    /// mean(p_b)|, empty bins dropped, from `calibration_curve(strategy="uniform", n_bins=10)`
    /// (see `CalibrationBins` for the edges). Not an sklearn function; its parts are.
    ///
    /// Undefined: more than two labels in `yTrue` (calibration_curve raises); a probability
    /// outside [0, 1] (it raises); no scores; empty input.
    package func expectedCalibrationError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try calibrationBins().gaps.reduce(0.0) { $0 + $1.weight * $1.gap }
        }
    }

    /// The largest |mean(y_b) − mean(p_b)| over the non-empty bins of
    /// `expectedCalibrationError`; undefined in the same cases.
    package func maxCalibrationError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try calibrationBins().gaps.map(\.gap).max() ?? 0
        }
    }

    func calibrationBins() throws(UndefinedReason) -> CalibrationBins {
        try requireRows()
        let column = try positiveScoreColumn()
        _ = try binaryTruth(metric: "calibration")
        try requireProbabilities(column)
        let positive = Int32(positiveIndex ?? -1)
        return column.withBuffer { scores, stride, offset in
            trueIndex.withUnsafeBufferPointer { labels in
                CalibrationBins(scores: scores, stride: stride, offset: offset, labels: labels, positive: positive)
            }
        }
    }
}
