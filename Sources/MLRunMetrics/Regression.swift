/// A regressor's predictions beside the true values: the input of the regression metrics.
///
/// Each metric equals scikit-learn 1.9's function of the same meaning with uniform output
/// weights and no sample weights, and is undefined on empty input (sklearn raises).
package struct Regression: Sendable {
    /// The true values.
    package let yTrue: [Double]
    /// The predicted values.
    package let yPred: [Double]

    /// The number of rows.
    package var count: Int { yTrue.count }

    /// Predictions `yPred` of `yTrue`.
    ///
    /// - Throws: `MetricInputError.lengthMismatch` when the lengths differ, `.nonFinite` for a
    ///   NaN or infinite value (sklearn's `check_array` rejects both).
    package init(yTrue: [Double], yPred: [Double]) throws(MetricInputError) {
        guard yPred.count == yTrue.count else {
            throw .lengthMismatch(field: "yPred", count: yPred.count, expected: yTrue.count)
        }
        if let row = yTrue.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(field: "yTrue", row: row) }
        if let row = yPred.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(field: "yPred", row: row) }
        self.yTrue = yTrue
        self.yPred = yPred
    }

    /// Mean |y − ŷ|: sklearn's `mean_absolute_error`.
    package func meanAbsoluteError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in try mean { t, p in abs(t - p) } }
    }

    /// Mean (y − ŷ)²: sklearn's `mean_squared_error`.
    package func meanSquaredError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in try mean { t, p in (t - p) * (t - p) } }
    }

    /// √MSE: sklearn's `root_mean_squared_error`.
    package func rootMeanSquaredError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in try mean { t, p in (t - p) * (t - p) }.squareRoot() }
    }

    /// Mean |y − ŷ| / max(|y|, eps), eps = 2.220446049250313e-16: sklearn's
    /// `mean_absolute_percentage_error`.
    ///
    /// As in sklearn, a true value of 0 divides by eps instead of failing, so the result is
    /// huge (about 4.5e15 times the error) but is a value, not undefined; the result is a
    /// fraction, not a percentage.
    package func meanAbsolutePercentageError() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            try mean { t, p in abs(p - t) / Swift.max(abs(t), Double.ulpOfOne) }
        }
    }

    /// The coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: sklearn's `r2_score`.
    ///
    /// Undefined when `yTrue` is constant: the ratio is x/0. sklearn's default
    /// `force_finite=True` returns 1.0 there for perfect predictions and 0.0 otherwise
    /// (NaN or −inf with `force_finite=False`); here it is undefined, with that reason.
    /// Constancy is checked on the values themselves, not on a rounded mean. Undefined also
    /// with fewer than two rows (sklearn warns and returns NaN).
    package func r2() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            guard count >= 2 else {
                throw UndefinedReason("R² is not well-defined with fewer than two samples (sklearn warns and returns NaN)")
            }
            guard yTrue.contains(where: { $0 != yTrue[0] }) else {
                throw UndefinedReason(
                    "yTrue is constant, so R² divides by zero (sklearn returns 1.0 for perfect "
                        + "predictions and 0.0 otherwise)")
            }
            let mean = yTrue.reduce(0, +) / Double(count)
            var residual = 0.0, total = 0.0
            for i in 0..<count {
                residual += (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i])
                total += (yTrue[i] - mean) * (yTrue[i] - mean)
            }
            // Deviations so small that their squares underflow leave yTrue constant in effect.
            guard total > 0 else { throw UndefinedReason("yTrue's variance underflows to 0, so R² divides by zero") }
            return 1 - residual / total
        }
    }

    /// The mean of `term(y, ŷ)` over the rows; fails on empty input.
    func mean(_ term: (Double, Double) -> Double) throws(UndefinedReason) -> Double {
        guard count > 0 else { throw UndefinedReason("empty input (sklearn raises on empty arrays)") }
        var sum = 0.0
        yTrue.withUnsafeBufferPointer { t in
            yPred.withUnsafeBufferPointer { p in
                for i in 0..<t.count { sum += term(t[i], p[i]) }
            }
        }
        return sum / Double(count)
    }
}
