extension Classification {
    /// How many distinct labels `yPred` holds: a guard against a model that collapsed onto
    /// one class. Not an sklearn metric: `len(np.unique(y_pred))`.
    ///
    /// 0 on empty input (there are no predicted classes); undefined without `yPred`.
    package func predictionClasses() -> Computed<Double> {
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        return .value(Double(counts.predTotals.filter { $0 > 0 }.count))
    }

    /// The share of rows predicted `positiveLabel`: fairlearn's
    /// `selection_rate(y_true, y_pred, pos_label=positiveLabel)` over all rows.
    ///
    /// Undefined without `yPred` and on empty input (fairlearn raises).
    package func positiveRate() -> Computed<Double> {
        if let obstacle = labelMetricObstacle { return .undefined(obstacle) }
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        let selected = positiveIndex.map { counts.predTotals[$0] } ?? 0
        return .value(Double(selected) / Double(counts.total))
    }
}
