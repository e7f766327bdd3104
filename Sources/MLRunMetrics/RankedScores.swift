/// One binary ranking problem with its scores sorted: the positives' and the negatives' scores
/// apart, each ascending, read as cumulative (tp, fp) counts at every distinct threshold.
///
/// This is sklearn's `_binary_clf_curve` (the basis of `roc_curve` and
/// `precision_recall_curve`): rows sorted by descending score, one curve point per distinct
/// score value, so tied scores move tp and fp together. Sorting is the only super-linear step.
struct RankedScores {
    /// Sort keys (`RadixSort.key`) of the positive rows' scores, ascending.
    private(set) var positives: [UInt64]
    /// Sort keys of the negative rows' scores, ascending.
    private(set) var negatives: [UInt64]

    /// Splits `scores[offset + i * stride]` by whether `labels[i] == positive`, then sorts.
    ///
    /// The stride reads one column of a row-major probability matrix in place.
    init(scores: UnsafeBufferPointer<Double>, stride: Int = 1, offset: Int = 0,
         labels: UnsafeBufferPointer<Int32>, positive: Int32) {
        let n = labels.count
        var positiveCount = 0
        for label in labels where label == positive { positiveCount += 1 }
        var positives = [UInt64](repeating: 0, count: positiveCount)
        var negatives = [UInt64](repeating: 0, count: n - positiveCount)
        positives.withUnsafeMutableBufferPointer { pos in
            negatives.withUnsafeMutableBufferPointer { neg in
                var p = 0, q = 0
                for i in 0..<n {
                    let key = RadixSort.key(scores[offset &+ i &* stride])
                    if labels[i] == positive { pos[p] = key; p &+= 1 } else { neg[q] = key; q &+= 1 }
                }
            }
        }
        RadixSort.sort(&positives)
        RadixSort.sort(&negatives)
        self.positives = positives
        self.negatives = negatives
    }

    /// Calls `body(tp, fp)` once per distinct score, highest first, with the numbers of positive
    /// and negative rows scoring at least that much.
    func forEachThreshold(_ body: (_ tp: Int, _ fp: Int) -> Void) {
        positives.withUnsafeBufferPointer { pos in
            negatives.withUnsafeBufferPointer { neg in
                var i = pos.count, j = neg.count
                var tp = 0, fp = 0
                while i > 0 || j > 0 {
                    let top: UInt64
                    if i == 0 { top = neg[j - 1] } else if j == 0 { top = pos[i - 1] } else { top = max(pos[i - 1], neg[j - 1]) }
                    while i > 0 && pos[i - 1] == top { tp &+= 1; i &-= 1 }
                    while j > 0 && neg[j - 1] == top { fp &+= 1; j &-= 1 }
                    body(tp, fp)
                }
            }
        }
    }

    /// The area under the ROC curve; needs at least one positive and one negative.
    ///
    /// Trapezoids over the points (fp/N, tp/P) at every distinct threshold from (0, 0), as
    /// sklearn's `roc_curve` + `auc`; this equals the Mann–Whitney U with midranks for ties
    /// divided by P·N. The sum 2U = Σ Δfp·(tp + tp_prev) is kept in integers, so it is exact.
    var rocArea: Double {
        var twiceU = 0
        var previousTP = 0, previousFP = 0
        forEachThreshold { tp, fp in
            twiceU += (fp - previousFP) * (tp + previousTP)
            previousTP = tp
            previousFP = fp
        }
        return Double(twiceU) / (2.0 * Double(positives.count) * Double(negatives.count))
    }

    /// Average precision; needs at least one positive.
    ///
    /// sklearn's step-wise AP, no interpolation: Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds,
    /// with Rₙ = tp/P and Pₙ = tp/(tp + fp).
    var averagePrecision: Double {
        var sum = 0.0
        var previousTP = 0
        forEachThreshold { tp, fp in
            if tp != previousTP {
                sum += Double(tp - previousTP) * (Double(tp) / Double(tp + fp))
                previousTP = tp
            }
        }
        return sum / Double(positives.count)
    }
}
