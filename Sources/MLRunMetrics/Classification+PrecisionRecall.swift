extension Classification {
    /// How per-class scores combine into one: sklearn's `average=` argument.
    package enum Average: String, Sendable, CaseIterable {
        /// The positive label's score alone. Like sklearn, undefined (sklearn raises) when
        /// `yTrue` and `yPred` together hold more than two labels, or two labels neither of
        /// which is `positiveLabel`.
        case binary
        /// The unweighted mean over `classes`.
        case macro
        /// One score from the true-positive, predicted and true counts summed over `classes`.
        case micro
        /// The mean over `classes` weighted by each class's support (its count in `yTrue`).
        case weighted
    }

    /// Precision, tp / (tp + fp): sklearn's `precision_score(…, labels=classes, average=…)`.
    ///
    /// Undefined whenever sklearn's `zero_division="warn"` would warn and substitute 0: the
    /// positive label (binary) or any class in `classes` (macro, weighted) has no predicted
    /// samples. Also undefined without `yPred`, on empty input, and where `.binary` does not
    /// apply (see `Average.binary`).
    package func precision(average: Average = .binary) -> Computed<Double> {
        setWise(.precision, average: average)
    }

    /// Recall, tp / (tp + fn): sklearn's `recall_score(…, labels=classes, average=…)`.
    ///
    /// Undefined where sklearn warns: the positive label (binary) or any class in `classes`
    /// (macro, weighted) has no true samples; and in the cases `precision` lists.
    package func recall(average: Average = .binary) -> Computed<Double> {
        setWise(.recall, average: average)
    }

    /// F1, 2·tp / (2·tp + fp + fn): sklearn's `f1_score(…, labels=classes, average=…)`.
    ///
    /// sklearn ≥ 1.3 computes F from counts, so it is 0 (not undefined) when a class is never
    /// predicted but occurs. Undefined where sklearn warns: a class (the positive label for
    /// binary) with neither true nor predicted samples; and in the cases `precision` lists.
    package func f1(average: Average = .binary) -> Computed<Double> {
        setWise(.f1, average: average)
    }

    /// The three set-wise scores, each a ratio of counts per class.
    enum SetWiseScore {
        case precision, recall, f1

        var name: String {
            switch self {
            case .precision: return "precision"
            case .recall: return "recall"
            case .f1: return "F-score"
            }
        }

        /// What the denominator counts, in sklearn's warning wording.
        var missing: String {
            switch self {
            case .precision: return "no predicted samples"
            case .recall: return "no true samples"
            case .f1: return "no true nor predicted samples"
            }
        }

        /// Numerator and denominator for one class, as sklearn's `_prf_divide` takes them.
        func ratio(tp: Int, predicted: Int, actual: Int) -> (Double, Double) {
            switch self {
            case .precision: return (Double(tp), Double(predicted))
            case .recall: return (Double(tp), Double(actual))
            // F-beta with beta = 1: (1 + β²)·tp / (β²·true_sum + pred_sum), sklearn's form.
            case .f1: return (2.0 * Double(tp), Double(actual) + Double(predicted))
            }
        }
    }

    func setWise(_ score: SetWiseScore, average: Average) -> Computed<Double> {
        if let obstacle = labelMetricObstacle { return .undefined(obstacle) }
        guard let counts = labelCounts() else { return .undefined("no predicted labels (yPred) were given") }
        func ratio(_ c: Int) -> (Double, Double) {
            score.ratio(tp: counts.truePositives(c), predicted: counts.predTotals[c], actual: counts.trueTotals[c])
        }

        switch average {
        case .binary:
            let present = counts.presentClasses
            if present.count > 2 {
                return .undefined(
                    "yTrue and yPred hold \(present.count) labels (\(labelList(present))): "
                        + "average='binary' needs at most two; use a _macro, _micro or _weighted average")
            }
            if present.count == 2, !(positiveIndex.map(present.contains) ?? false) {
                return .undefined("the positive label \(positiveLabel) is not one of the labels present (\(labelList(present)))")
            }
            // sklearn takes labels=[pos_label]: a positive label absent from the data counts zeros.
            let (numerator, denominator) = positiveIndex.map(ratio) ?? (0, 0)
            guard denominator > 0 else {
                return .undefined(
                    "\(score.name) is ill-defined: the positive label \(positiveLabel) has \(score.missing) "
                        + "(sklearn warns and returns 0)")
            }
            return .value(numerator / denominator)

        case .micro:
            var numerator = 0.0, denominator = 0.0
            for c in 0..<counts.k {
                let (n, d) = ratio(c)
                numerator += n
                denominator += d
            }
            guard denominator > 0 else {
                return .undefined("\(score.name) is ill-defined: \(score.missing) (sklearn warns and returns 0)")
            }
            return .value(numerator / denominator)

        case .macro, .weighted:
            let undefinedClasses = (0..<counts.k).filter { ratio($0).1 == 0 }
            if !undefinedClasses.isEmpty {
                return .undefined(
                    "\(score.name) is ill-defined for labels with \(score.missing): "
                        + "\(labelList(undefinedClasses)) (sklearn warns and counts them as 0)")
            }
            if average == .macro {
                // np.average: the plain mean over classes.
                let total = (0..<counts.k).reduce(0.0) { sum, c in
                    let (n, d) = ratio(c); return sum + n / d
                }
                return .value(total / Double(counts.k))
            }
            // np.average with weights = true_sum: Σ wᵢ·sᵢ / Σ wᵢ.
            var weighted = 0.0, weights = 0.0
            for c in 0..<counts.k {
                let (n, d) = ratio(c)
                weighted += n / d * Double(counts.trueTotals[c])
                weights += Double(counts.trueTotals[c])
            }
            return .value(weighted / weights)
        }
    }
}
