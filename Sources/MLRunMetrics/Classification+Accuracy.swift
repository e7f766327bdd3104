extension Classification {
    /// The share of rows predicted correctly: sklearn's `accuracy_score`.
    ///
    /// Undefined without `yPred` and on empty input (sklearn raises).
    package func accuracy() -> Computed<Double> {
        if let obstacle = labelMetricObstacle { return .undefined(obstacle) }
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        return .value(Double(counts.correct) / Double(counts.total))
    }

    /// The mean recall over the classes present in `yTrue`: sklearn's `balanced_accuracy_score`
    /// (`adjusted=False`).
    ///
    /// Classes that occur only in `yPred` are left out of the mean, as sklearn does (it warns
    /// "y_pred contains classes not in y_true" and still returns the value, so this is a value
    /// here too). Undefined without `yPred` and on empty input.
    package func balancedAccuracy() -> Computed<Double> {
        if let obstacle = labelMetricObstacle { return .undefined(obstacle) }
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        // per_class = diag(C) / C.sum(axis=1), NaN rows (no true samples) dropped, then the mean.
        let present = (0..<counts.k).filter { counts.trueTotals[$0] > 0 }
        let total = present.reduce(0.0) { $0 + Double(counts.truePositives($1)) / Double(counts.trueTotals[$1]) }
        return .value(total / Double(present.count))
    }

    /// The Matthews correlation coefficient, binary or multiclass (Gorodkin's R_K):
    /// sklearn's `matthews_corrcoef`.
    ///
    /// Computed as sklearn does, from the confusion matrix C with t = row sums, p = column sums,
    /// c = trace, s = n: (c·s − t·p) / √((s² − p·p)(s² − t·t)). When that denominator is 0
    /// (`yTrue` or `yPred` holds a single label) the coefficient is 0/0: sklearn silently
    /// returns 0.0; here it is undefined, with that reason. Also undefined without `yPred` and
    /// on empty input.
    package func matthewsCorrcoef() -> Computed<Double> {
        if let obstacle = labelMetricObstacle { return .undefined(obstacle) }
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        let n = Double(counts.total)
        let correct = Double(counts.correct)
        var tDotP = 0.0, pDotP = 0.0, tDotT = 0.0
        for c in 0..<counts.k {
            let t = Double(counts.trueTotals[c]), p = Double(counts.predTotals[c])
            tDotP += t * p
            pDotP += p * p
            tDotT += t * t
        }
        let covYtYp = correct * n - tDotP
        let covYpYp = n * n - pDotP
        let covYtYt = n * n - tDotT
        let denominator = covYpYp * covYtYt
        guard denominator != 0 else {
            let which = covYtYt == 0 ? "yTrue" : "yPred"
            return .undefined("MCC is 0/0: \(which) holds a single label (sklearn returns 0.0)")
        }
        return .value(covYtYp / denominator.squareRoot())
    }
}
