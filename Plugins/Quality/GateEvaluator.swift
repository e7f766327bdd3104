import Dispatch
import Foundation
import MLRunCore
import MLRunMetrics

/// Computes a gate's metric on a set of predictions, with its bootstrap interval when `ci` is
/// set, and turns it into a verdict whose message states value, threshold and margin.
struct GateEvaluator {
    let spec: QualitySpec
    let runSeed: UInt64

    /// Every metric of `metrics` on `predictions`, from one `Classification` (or
    /// `Regression`) built once for all of them.
    static func values(_ metrics: [MetricName], on predictions: Predictions, spec: QualitySpec) -> [MetricName: Computed<Double>] {
        var out: [MetricName: Computed<Double>] = [:]
        do {
            switch spec.kind {
            case .regression:
                let input = try Regression(yTrue: predictions.truthValues, yPred: predictions.predictedValues)
                for metric in metrics { out[metric] = metric.evaluate(input) }
            case .binary, .multiclass:
                let input = try classification(predictions, spec: spec, groups: metrics.contains(where: \.needsGroups))
                if predictions.rows >= 100_000 && metrics.count > 1 {
                    // Big files: the metrics are independent passes, one per core at a time
                    // (roc_auc and average_precision share one sort through the input's cache).
                    let slots = MetricSlots(count: metrics.count)
                    DispatchQueue.concurrentPerform(iterations: metrics.count) { index in
                        slots.set(index, metrics[index].evaluate(input))
                    }
                    for (index, metric) in metrics.enumerated() { out[metric] = slots.values[index] }
                } else {
                    for metric in metrics { out[metric] = metric.evaluate(input) }
                }
            }
        } catch {
            for metric in metrics { out[metric] = .undefined("\(error)") }
        }
        return out
    }

    /// One metric on `predictions`.
    static func value(_ metric: MetricName, _ predictions: Predictions, spec: QualitySpec) -> Computed<Double> {
        values([metric], on: predictions, spec: spec)[metric] ?? .undefined("not computed")
    }

    static func classification(_ predictions: Predictions, spec: QualitySpec, groups: Bool) throws(MetricInputError) -> Classification {
        let scores: Classification.Scores?
        if !predictions.hasScores {
            scores = nil
        } else if spec.kind == .binary {
            scores = .positiveClass(predictions.scores)
        } else {
            scores = .perClass(try ProbabilityMatrix(values: predictions.scores, columns: predictions.classCount))
        }
        let classes = Array(0..<predictions.classCount)
        if groups, let sensitive = spec.sensitive, let group = predictions.groups[sensitive] {
            return try Classification(
                yTrue: predictions.truth, yPred: predictions.predicted, scores: scores, classes: classes,
                positiveLabel: 1, groupCodes: .init(codes: group.codes, names: group.values))
        }
        return try Classification(yTrue: predictions.truth, yPred: predictions.predicted, scores: scores, classes: classes, positiveLabel: 1)
    }

    /// Bootstrap intervals of every metric of `metrics` on `predictions` (when `ci` is set),
    /// all from the same resamples; `label` names the row set (the whole file, or one segment
    /// value), from which the resamples' seed derives, so a run seed reproduces them.
    func intervals(_ metrics: [MetricName], on predictions: Predictions, label: String) -> [MetricName: Computed<Bootstrap.Interval>] {
        guard let level = spec.ci else { return [:] }
        let seed = Seeds.testSeed(runSeed: runSeed, id: TestID(suite: spec.name, name: "bootstrap" + label))
        let spec = self.spec
        let outcomes = Bootstrap.percentileIntervals(
            rows: predictions.rows, level: level, resamples: spec.resamples, seed: seed, count: metrics.count
        ) { resample in
            let values = Self.values(metrics, on: predictions.subset(resample.rowIndices), spec: spec)
            return metrics.map { values[$0]?.value }
        }
        return Dictionary(uniqueKeysWithValues: zip(metrics, outcomes).map { ($0, $1) })
    }

    /// The verdict of `gate`, whose metric is `computed` (with its bootstrap `interval` when
    /// `ci` is set) on `predictions`.
    func gate(_ gate: QualitySpec.Gate, computed: Computed<Double>, interval: Computed<Bootstrap.Interval>?, on predictions: Predictions)
        -> QualitySuite.TestVerdictWithValues
    {
        var values: [(String, JSONValue)] = [("threshold", .double(gate.threshold)), ("element_count", .int(predictions.rows))]
        guard let value = computed.value else {
            if case .undefined(let why) = computed {
                return .init(verdict: .error("\(gate.metric) is undefined on these \(predictions.rows) rows: \(why)"), values: values)
            }
            return .init(verdict: .error("\(gate.metric) has no value"), values: values)
        }
        values.insert(("value", .double(value)), at: 0)
        var gated = value
        var bound = ""
        if let level = spec.ci, let interval {
            if let interval = interval.value {
                values += [
                    ("ci_low", .double(interval.low)), ("ci_high", .double(interval.high)), ("ci", .double(level)),
                    ("resamples", .int(interval.definedResamples)),
                ]
                if spec.gateOnLow {
                    // The pessimistic end: the low bound for a minimum, the high one for a maximum.
                    gated = gate.isMinimum ? interval.low : interval.high
                    bound = gate.isMinimum ? " (ci_low of \(Self.format(value)))" : " (ci_high of \(Self.format(value)))"
                }
            } else if case .undefined(let why) = interval, spec.gateOnLow {
                return .init(verdict: .error("\(gate.metric): no bootstrap interval: \(why)"), values: values)
            }
        }
        let margin = gate.isMinimum ? gated - gate.threshold : gate.threshold - gated
        values.append(("margin", .double(margin)))
        let relation = gate.isMinimum ? "≥" : "≤"
        let text =
            "\(gate.metric) = \(Self.format(gated))\(bound), needs \(relation) \(Self.format(gate.threshold)) (margin \(margin >= 0 ? "+" : "")\(Self.format(margin)))"
        return .init(verdict: margin >= 0 ? TestVerdict(.passed, text) : .failed(text), values: values)
    }

    /// Four significant digits past the leading zeros, as a reader wants to see a metric.
    static func format(_ value: Double) -> String {
        if value == 0 || !value.isFinite { return "\(value)" }
        let text = String(format: "%.4g", value)
        return text
    }
}

extension MetricName {
    /// Whether the metric reads the scores (probabilities) rather than only the predicted class.
    var needsScores: Bool {
        switch self {
        case .rocAUC, .rocAUCOneVsRest, .rocAUCOneVsRestWeighted, .averagePrecision, .logLoss, .brier,
            .expectedCalibrationError, .maxCalibrationError:
            return true
        default:
            return false
        }
    }

    /// Whether the metric is defined for binary classification only (scikit-learn's binary
    /// average, a positive class's scores or rate, fairlearn's selection rate).
    var isBinaryOnly: Bool {
        switch self {
        case .precision, .recall, .f1, .rocAUC, .averagePrecision, .brier, .expectedCalibrationError, .maxCalibrationError,
            .positiveRate, .demographicParityDifference, .demographicParityRatio, .equalizedOddsDifference,
            .equalOpportunityDifference:
            return true
        default:
            return false
        }
    }

    /// What to gate on instead for a multiclass model.
    var multiclassAlternative: String {
        switch self {
        case .precision: return "precision_macro, precision_micro or precision_weighted"
        case .recall: return "recall_macro, recall_micro or recall_weighted"
        case .f1: return "f1_macro, f1_micro or f1_weighted"
        case .rocAUC: return "roc_auc_ovr or roc_auc_ovr_weighted"
        default: return "accuracy, balanced_accuracy, log_loss or the macro/weighted averages"
        }
    }

    /// Whether the metric reads the sensitive attribute.
    var needsGroups: Bool {
        switch self {
        case .demographicParityDifference, .demographicParityRatio, .equalizedOddsDifference, .equalOpportunityDifference: return true
        default: return false
        }
    }
}

/// One result per metric, written by `concurrentPerform`'s iterations at distinct indices.
private final class MetricSlots: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Computed<Double>]

    init(count: Int) {
        values = Array(repeating: .undefined("not computed"), count: count)
    }

    func set(_ index: Int, _ value: Computed<Double>) {
        lock.withLock { values[index] = value }
    }
}
