#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Classification {
    /// The smallest probability log_loss takes: float64's machine epsilon, sklearn ≥ 1.5's
    /// `np.finfo(y_proba.dtype).eps` (2.220446049250313e-16).
    static let logLossEpsilon = Double.ulpOfOne

    /// Mean cross-entropy of the true class's probability: sklearn's
    /// `log_loss(y_true, y_proba, labels=classes)` (1.9).
    ///
    /// Probabilities are clipped to [eps, 1 − eps], eps = 2.220446049250313e-16, and rows are
    /// *not* renormalised: sklearn ≥ 1.5 only warns when a row does not sum to 1, and computes
    /// on the row as given, so that is a value here too. With a score vector, row i's
    /// probability of its true class is p for a positive row and 1 − p otherwise (sklearn
    /// stacks [1 − p, p] and clips both), equal to sklearn when `positiveLabel` is the greater
    /// of two labels, as sklearn takes p as the greater label's probability.
    ///
    /// A row is positive when its true label is `positiveLabel`, whether or not that label is
    /// one of `classes` (with no positive row, every term is log(clip(1 − p))).
    ///
    /// Undefined: a probability outside [0, 1] (sklearn raises); a score vector with more than
    /// two classes; no scores; empty input.
    package func logLoss() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try requireRows()
            let eps = Self.logLossEpsilon
            let clip = { (p: Double) -> Double in Swift.min(Swift.max(p, eps), 1 - eps) }
            var sum = 0.0
            switch scores {
            case .perClass(let matrix)?:
                let k = matrix.columns
                if let bad = matrix.values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                    throw UndefinedReason(
                        "probability \(matrix.values[bad]) at row \(bad / k), column \(bad % k) is not in [0, 1] "
                            + "(sklearn raises)")
                }
                matrix.values.withUnsafeBufferPointer { p in
                    trueIndex.withUnsafeBufferPointer { t in
                        // −Σᵢ log(clip(p[i, yᵢ])): xlogy with the one-hot labels keeps one term per row.
                        for i in 0..<t.count { sum -= log(clip(p[i &* k &+ Int(t[i])])) }
                    }
                }
            default:
                let column = try positiveScoreColumn()
                guard classes.count <= 2 else {
                    throw UndefinedReason("\(classes.count) classes but one score per row: log_loss needs a probability per class")
                }
                try requireProbabilities(column)
                let positive = Int32(positiveIndex ?? -1)
                column.withBuffer { p, _, _ in
                    trueIndex.withUnsafeBufferPointer { t in
                        // −Σᵢ log(clip(yᵢ ? pᵢ : 1 − pᵢ)).
                        for i in 0..<t.count { sum -= log(clip(t[i] == positive ? p[i] : 1 - p[i])) }
                    }
                }
            }
            return sum / Double(count)
        }
    }

    /// The Brier score of the positive label's probability: sklearn's
    /// `brier_score_loss(y_true, y_proba, pos_label=positiveLabel)` on binary input.
    ///
    /// sklearn 1.9 computes ½·Σₖ (onehotₖ − probₖ)² over the two columns [1 − p, p], which is
    /// (y − p)² per row; so does this, term for term. A single class in `yTrue` is fine (a
    /// value, as in sklearn). Undefined: more than two labels in `yTrue`, or a probability
    /// matrix of more than two classes (sklearn 1.9 has a multiclass Brier score; mlrun's
    /// `brier` is the binary one); a probability outside [0, 1]; no scores; empty input.
    package func brier() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try requireRows()
            let column = try positiveScoreColumn()
            _ = try binaryTruth(metric: "brier")
            try requireProbabilities(column)
            let positive = Int32(positiveIndex ?? -1)
            var sum = 0.0
            column.withBuffer { p, stride, offset in
                trueIndex.withUnsafeBufferPointer { t in
                    for i in 0..<t.count {
                        let y = t[i] == positive ? 1.0 : 0.0
                        let q = p[offset &+ i &* stride]
                        let positiveTerm = y - q, negativeTerm = (1 - y) - (1 - q)
                        sum += positiveTerm * positiveTerm + negativeTerm * negativeTerm
                    }
                }
            }
            return 0.5 * (sum / Double(count))
        }
    }
}
