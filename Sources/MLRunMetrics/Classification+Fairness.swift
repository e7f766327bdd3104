/// Per-group counts for fairlearn's disparity metrics.
struct GroupCounts {
    /// Rows per group.
    var rows: [Int]
    /// Rows predicted `positiveLabel` per group (fairlearn's `selection_rate` numerator).
    var selected: [Int]
    /// Rows whose true label is `positiveLabel`, per group.
    var positives: [Int]
    /// Positive rows predicted positive, per group.
    var truePositives: [Int]
    /// Negative rows predicted positive, per group.
    var falsePositives: [Int]

    init(groups: [Int32], groupCount: Int, trueIndex: [Int32], predIndex: [Int32], positive: Int32) {
        rows = [Int](repeating: 0, count: groupCount)
        selected = rows
        positives = rows
        truePositives = rows
        falsePositives = rows
        for i in 0..<groups.count {
            let g = Int(groups[i])
            let isPositive = trueIndex[i] == positive, predictedPositive = predIndex[i] == positive
            rows[g] += 1
            if predictedPositive { selected[g] += 1 }
            if isPositive { positives[g] += 1 }
            if isPositive && predictedPositive { truePositives[g] += 1 }
            if !isPositive && predictedPositive { falsePositives[g] += 1 }
        }
    }
}

extension Classification {
    /// The largest minus the smallest per-group selection rate (share of rows predicted
    /// `positiveLabel`): fairlearn's `demographic_parity_difference(…, method="between_groups")`.
    ///
    /// Undefined without `groups` or `yPred`, and on empty input (fairlearn raises).
    package func demographicParityDifference() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            let rates = extremes(try selectionRates())
            return rates.max - rates.min
        }
    }

    /// The smallest over the largest per-group selection rate: fairlearn's
    /// `demographic_parity_ratio(…, method="between_groups")`.
    ///
    /// Undefined when no group has a positive prediction (0/0: fairlearn returns NaN), and in
    /// the cases of `demographicParityDifference`.
    package func demographicParityRatio() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            let rates = extremes(try selectionRates())
            guard rates.max > 0 else {
                throw UndefinedReason("no group has a positive prediction: the ratio is 0/0 (fairlearn returns NaN)")
            }
            return rates.min / rates.max
        }
    }

    /// The greater of the between-group differences (max − min) of the true positive rate
    /// and of the false positive rate: fairlearn's `equalized_odds_difference` (worst case).
    ///
    /// Positive rows are those whose true label is `positiveLabel`. fairlearn needs labels in
    /// {0, 1} or {-1, 1} with 1 positive; any two labels work here, and more than two are
    /// undefined (fairlearn raises). A group with no positive rows (or no negative rows) has
    /// no true (false) positive rate: fairlearn's normalised confusion matrix silently counts
    /// it as 0, which can invent or hide a disparity, so the metric is undefined then.
    /// Undefined also without `groups` or `yPred`, and on empty input.
    package func equalizedOddsDifference() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            let counts = try binaryGroupCounts(metric: "equalized_odds_difference")
            let tpr = try truePositiveRates(counts)
            let negatives = (0..<counts.rows.count).map { counts.rows[$0] - counts.positives[$0] }
            if let g = negatives.firstIndex(of: 0) {
                throw UndefinedReason(
                    "group '\(groupNames[g])' has no negative rows: its false positive rate is 0/0 "
                        + "(fairlearn counts it as 0)")
            }
            let fpr = (0..<negatives.count).map { Double(counts.falsePositives[$0]) / Double(negatives[$0]) }
            let (tprs, fprs) = (extremes(tpr), extremes(fpr))
            return Swift.max(tprs.max - tprs.min, fprs.max - fprs.min)
        }
    }

    /// The largest minus the smallest per-group true positive rate: fairlearn's
    /// `equal_opportunity_difference` (fairlearn ≥ 0.11, `method="between_groups"`), the
    /// true-positive half of `equalizedOddsDifference`.
    ///
    /// Undefined when a group has no positive rows (fairlearn counts its rate as 0), and in
    /// the other cases of `equalizedOddsDifference`.
    package func equalOpportunityDifference() -> Computed<Double> {
        .computing { () throws(UndefinedReason) -> Double in
            let tpr = extremes(try truePositiveRates(try binaryGroupCounts(metric: "equal_opportunity_difference")))
            return tpr.max - tpr.min
        }
    }

    /// The groups' tallies; fails without groups, predictions or rows.
    func groupCounts() throws(UndefinedReason) -> GroupCounts {
        guard let groupIndex else { throw UndefinedReason("no sensitive feature (groups) was given") }
        guard let predIndex else { throw UndefinedReason("no predicted labels (yPred) were given") }
        try requireRows()
        return GroupCounts(
            groups: groupIndex, groupCount: groupNames.count, trueIndex: trueIndex,
            predIndex: predIndex, positive: Int32(positiveIndex ?? -1))
    }

    /// The smallest and the largest of per-group rates (one per group; there is at least one).
    func extremes(_ rates: [Double]) -> (min: Double, max: Double) {
        rates.reduce((Double.infinity, -Double.infinity)) { (Swift.min($0.0, $1), Swift.max($0.1, $1)) }
    }

    /// Per-group selection rates, fairlearn's `selection_rate`: selected / rows.
    func selectionRates() throws(UndefinedReason) -> [Double] {
        let counts = try groupCounts()
        return (0..<counts.rows.count).map { Double(counts.selected[$0]) / Double(counts.rows[$0]) }
    }

    /// The group tallies, requiring at most two labels in `yTrue` and `yPred` together.
    func binaryGroupCounts(metric: String) throws(UndefinedReason) -> GroupCounts {
        let counts = try groupCounts()
        if let labels = labelCounts()?.presentClasses, labels.count > 2 {
            throw UndefinedReason(
                "yTrue and yPred hold \(labels.count) labels (\(labelList(labels))); \(metric) needs binary labels "
                    + "(fairlearn raises)")
        }
        return counts
    }

    /// Per-group true positive rates, tp / positives (fairlearn's `true_positive_rate`).
    func truePositiveRates(_ counts: GroupCounts) throws(UndefinedReason) -> [Double] {
        if let g = counts.positives.firstIndex(of: 0) {
            throw UndefinedReason(
                "group '\(groupNames[g])' has no positive rows: its true positive rate is 0/0 "
                    + "(fairlearn counts it as 0)")
        }
        return (0..<counts.rows.count).map { Double(counts.truePositives[$0]) / Double(counts.positives[$0]) }
    }
}
