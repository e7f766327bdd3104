/// Every metric mlrun computes, by the name a configuration uses, with its direction.
///
/// Names follow scikit-learn's scorer names where one exists (`precision_macro`,
/// `f1_weighted`, `roc_auc_ovr_weighted`), without sklearn's `neg_` prefix on losses: the
/// direction says which way is better instead. `MetricName(rawValue:)` and
/// `MetricName.metric(named:)` look a name up. The confusion matrix is not a number, so it is
/// not here: call `Classification.confusionMatrix()`.
package enum MetricName: String, CaseIterable, Sendable {
    case accuracy
    case balancedAccuracy = "balanced_accuracy"
    case precision
    case precisionMacro = "precision_macro"
    case precisionMicro = "precision_micro"
    case precisionWeighted = "precision_weighted"
    case recall
    case recallMacro = "recall_macro"
    case recallMicro = "recall_micro"
    case recallWeighted = "recall_weighted"
    case f1
    case f1Macro = "f1_macro"
    case f1Micro = "f1_micro"
    case f1Weighted = "f1_weighted"
    case rocAUC = "roc_auc"
    case rocAUCOneVsRest = "roc_auc_ovr"
    case rocAUCOneVsRestWeighted = "roc_auc_ovr_weighted"
    case averagePrecision = "average_precision"
    case logLoss = "log_loss"
    case brier
    case matthewsCorrcoef = "matthews_corrcoef"
    case expectedCalibrationError = "ece"
    case maxCalibrationError = "max_calibration_error"
    case meanAbsoluteError = "mae"
    case meanSquaredError = "mse"
    case rootMeanSquaredError = "rmse"
    case r2
    case meanAbsolutePercentageError = "mape"
    case demographicParityDifference = "demographic_parity_difference"
    case demographicParityRatio = "demographic_parity_ratio"
    case equalizedOddsDifference = "equalized_odds_difference"
    case equalOpportunityDifference = "equal_opportunity_difference"
    case predictionClasses = "prediction_classes"
    case positiveRate = "positive_rate"

    /// Which way a metric improves.
    package enum Direction: String, Sendable {
        /// Scores: accuracy, AUC, R², the parity ratio…
        case higherIsBetter = "higher"
        /// Losses, errors and disparities.
        case lowerIsBetter = "lower"
        /// Descriptions of the predictions (`prediction_classes`, `positive_rate`), with no
        /// better side.
        case neither
    }

    /// What a metric is computed from.
    package enum InputKind: String, Sendable {
        /// A `Classification`.
        case classification
        /// A `Regression`.
        case regression
    }

    /// The metric called `name`, or nil: the same as `MetricName(rawValue: name)`.
    package static func metric(named name: String) -> MetricName? {
        MetricName(rawValue: name)
    }

    /// Which way the metric improves.
    package var direction: Direction {
        switch self {
        case .logLoss, .brier, .expectedCalibrationError, .maxCalibrationError,
            .meanAbsoluteError, .meanSquaredError, .rootMeanSquaredError, .meanAbsolutePercentageError,
            .demographicParityDifference, .equalizedOddsDifference, .equalOpportunityDifference:
            return .lowerIsBetter
        case .predictionClasses, .positiveRate:
            return .neither
        default:
            return .higherIsBetter
        }
    }

    /// True for scores, false for losses, nil for descriptive metrics.
    package var higherIsBetter: Bool? {
        switch direction {
        case .higherIsBetter: return true
        case .lowerIsBetter: return false
        case .neither: return nil
        }
    }

    /// Whether the metric takes a `Classification` or a `Regression`.
    package var inputKind: InputKind {
        switch self {
        case .meanAbsoluteError, .meanSquaredError, .rootMeanSquaredError, .r2, .meanAbsolutePercentageError:
            return .regression
        default:
            return .classification
        }
    }

    /// The metric of `input`; undefined (with the reason) for a regression metric.
    package func evaluate(_ input: Classification) -> Computed<Double> {
        switch self {
        case .accuracy: return input.accuracy()
        case .balancedAccuracy: return input.balancedAccuracy()
        case .precision: return input.precision(average: .binary)
        case .precisionMacro: return input.precision(average: .macro)
        case .precisionMicro: return input.precision(average: .micro)
        case .precisionWeighted: return input.precision(average: .weighted)
        case .recall: return input.recall(average: .binary)
        case .recallMacro: return input.recall(average: .macro)
        case .recallMicro: return input.recall(average: .micro)
        case .recallWeighted: return input.recall(average: .weighted)
        case .f1: return input.f1(average: .binary)
        case .f1Macro: return input.f1(average: .macro)
        case .f1Micro: return input.f1(average: .micro)
        case .f1Weighted: return input.f1(average: .weighted)
        case .rocAUC: return input.rocAUC()
        case .rocAUCOneVsRest: return input.rocAUCOneVsRest(weighted: false)
        case .rocAUCOneVsRestWeighted: return input.rocAUCOneVsRest(weighted: true)
        case .averagePrecision: return input.averagePrecision()
        case .logLoss: return input.logLoss()
        case .brier: return input.brier()
        case .matthewsCorrcoef: return input.matthewsCorrcoef()
        case .expectedCalibrationError: return input.expectedCalibrationError()
        case .maxCalibrationError: return input.maxCalibrationError()
        case .demographicParityDifference: return input.demographicParityDifference()
        case .demographicParityRatio: return input.demographicParityRatio()
        case .equalizedOddsDifference: return input.equalizedOddsDifference()
        case .equalOpportunityDifference: return input.equalOpportunityDifference()
        case .predictionClasses: return input.predictionClasses()
        case .positiveRate: return input.positiveRate()
        case .meanAbsoluteError, .meanSquaredError, .rootMeanSquaredError, .r2, .meanAbsolutePercentageError:
            return .undefined("\(rawValue) is a regression metric; it needs a Regression input")
        }
    }

    /// The metric of `input`; undefined (with the reason) for a classification metric.
    package func evaluate(_ input: Regression) -> Computed<Double> {
        switch self {
        case .meanAbsoluteError: return input.meanAbsoluteError()
        case .meanSquaredError: return input.meanSquaredError()
        case .rootMeanSquaredError: return input.rootMeanSquaredError()
        case .r2: return input.r2()
        case .meanAbsolutePercentageError: return input.meanAbsolutePercentageError()
        default: return .undefined("\(rawValue) is a classification metric; it needs a Classification input")
        }
    }
}
