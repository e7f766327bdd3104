extension Classification {
    /// Area under the ROC curve of the positive label's scores: sklearn's `roc_auc_score` on
    /// binary `y_true` (the `roc_auc` scorer).
    ///
    /// Ties are handled exactly as sklearn: one ROC point per distinct score, trapezoids
    /// between them, which equals the Mann–Whitney U with midranks divided by P·N. The scores
    /// are sorted once (radix sort, O(n)), and the area is summed exactly in integers.
    /// Positives are the rows whose true label is `positiveLabel`; sklearn's function takes the
    /// greater of the two labels as positive, so the two agree whenever `positiveLabel` is the
    /// greater label (0/1 data with the default `positiveLabel` 1).
    ///
    /// Undefined: only one class in `yTrue` (sklearn warns and returns NaN); more than two
    /// labels in `yTrue` (sklearn raises on 1-D scores; use `rocAUCOneVsRest`); two labels
    /// neither of which is `positiveLabel`; no scores; empty input.
    package func rocAUC() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try requireRows()
            let column = try positiveScoreColumn()
            let (positives, present) = try binaryTruth(metric: "roc_auc (use roc_auc_ovr for multiclass)")
            guard present == 2 else {
                throw UndefinedReason("only one class is present in yTrue: ROC AUC is not defined (sklearn warns and returns NaN)")
            }
            guard positives > 0, let positiveIndex else {
                throw UndefinedReason("the positive label \(positiveLabel) is not one of yTrue's two labels")
            }
            return ranked(column, positive: positiveIndex).rocArea
        }
    }

    /// Average precision of the positive label's scores: sklearn's
    /// `average_precision_score(y_true, y_score, pos_label=positiveLabel)`.
    ///
    /// The step-wise sum Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct thresholds, no interpolation.
    /// Undefined: no positive row in `yTrue` (sklearn warns that recall is set to 1 and returns
    /// 0); two labels in `yTrue` neither of which is `positiveLabel` (sklearn raises); more than
    /// two labels (sklearn needs a score matrix then); no scores; empty input.
    package func averagePrecision() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try requireRows()
            let column = try positiveScoreColumn()
            let (positives, present) = try binaryTruth(metric: "average_precision")
            guard positives > 0, let positiveIndex else {
                if present == 2 {
                    throw UndefinedReason("the positive label \(positiveLabel) is not one of yTrue's two labels (sklearn raises)")
                }
                throw UndefinedReason("no positive samples in yTrue: recall is 0/0 (sklearn warns and returns 0)")
            }
            return ranked(column, positive: positiveIndex).averagePrecision
        }
    }

    /// Multiclass ROC AUC, one class against the rest: sklearn's
    /// `roc_auc_score(y_true, y_proba, multi_class="ovr", average=…, labels=classes)`, the
    /// `roc_auc_ovr` (`weighted: false`, the macro mean) and `roc_auc_ovr_weighted` scorers.
    ///
    /// Each class's binary AUC uses its probability column, sorted once (O(n) per class).
    /// The weighted mean weighs each class by its count in `yTrue`.
    /// Undefined: the scores are not a probability matrix; it has fewer than 3 columns (sklearn
    /// then takes the binary path and rejects a 2-D score: use `rocAUC`); a row does not sum
    /// to 1 within `np.allclose` (sklearn raises); a class has no row in `yTrue`, or every row
    /// (its binary AUC is undefined: sklearn warns, and the macro mean is NaN; the weighted
    /// one is reported undefined too, as sklearn warns there as well); empty input.
    package func rocAUCOneVsRest(weighted: Bool = false) -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try requireRows()
            let matrix = try probabilityMatrix()
            let k = matrix.columns
            guard k >= 3 else {
                throw UndefinedReason("roc_auc_ovr needs at least 3 classes; with 2 use roc_auc (sklearn raises)")
            }
            if let row = Self.firstRowNotSummingToOne(matrix) {
                throw UndefinedReason("probability row \(row) does not sum to 1: multiclass ROC AUC needs probabilities (sklearn raises)")
            }
            let counts = trueClassCounts()
            let degenerate = counts.indices.filter { counts[$0] == 0 || counts[$0] == count }
            guard degenerate.isEmpty else {
                throw UndefinedReason(
                    "only one class is present in the one-vs-rest yTrue of label \(labelList(degenerate)): "
                        + "its ROC AUC is not defined (sklearn warns)")
            }
            let areas = (0..<k).map { ranked(ScoreColumn(values: matrix.values, stride: k, offset: $0), positive: $0).rocArea }
            if weighted {
                // np.average(areas, weights=prevalence): Σ wₖ·AUCₖ / Σ wₖ.
                let sum = (0..<k).reduce(0.0) { $0 + areas[$1] * Double(counts[$1]) }
                return sum / Double(count)
            }
            return areas.reduce(0, +) / Double(k)
        }
    }

    /// The scores of `column` ranked against `yTrue == classes[positive]`, sorted once per
    /// column and positive class for this value (roc_auc and average_precision share it).
    func ranked(_ column: ScoreColumn, positive: Int) -> RankedScores {
        rankings.value(for: RankingCache.Key(stride: column.stride, offset: column.offset, positive: positive)) {
            column.withBuffer { scores, stride, offset in
                trueIndex.withUnsafeBufferPointer { labels in
                    RankedScores(scores: scores, stride: stride, offset: offset, labels: labels, positive: Int32(positive))
                }
            }
        }
    }

    /// The first row whose sum is not 1 by `np.allclose(1, sum)`: |1 − s| ≤ 1e-8 + 1e-5·|s|.
    static func firstRowNotSummingToOne(_ matrix: ProbabilityMatrix) -> Int? {
        matrix.values.withUnsafeBufferPointer { v in
            for row in 0..<matrix.rows {
                var sum = 0.0
                for j in 0..<matrix.columns { sum += v[row * matrix.columns + j] }
                if !(abs(1 - sum) <= 1e-8 + 1e-5 * abs(sum)) { return row }
            }
            return nil
        }
    }
}
