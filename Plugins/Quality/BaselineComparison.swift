import Foundation
import MLRunCore
import MLRunMetrics

/// The `<metric>::vs_baseline` tests: a metric may not be worse than its baseline value by
/// more than the tolerance, whatever its absolute gate says.
///
/// "Worse" follows the metric's direction: lower for scores (accuracy, AUC), higher for
/// losses (log_loss, mae) and disparities. For the descriptive metrics with no better side
/// (`prediction_classes`, `positive_rate`) a move either way beyond the tolerance fails.
/// The allowed drop is `tolerance` (absolute), or `relative_tolerance` × |baseline|, or 0
/// when neither is given.
struct BaselineComparison {
    let spec: QualitySpec

    /// The largest allowed move towards "worse" from `baseline`.
    func allowance(baseline: Double) -> Double {
        if let tolerance = spec.tolerance { return tolerance }
        if let relative = spec.relativeTolerance { return relative * abs(baseline) }
        return 0
    }

    /// The verdict of `<metric>::vs_baseline` for the current value against the baseline's.
    func compare(metric name: String, current: Computed<Double>, baseline: Double, baselinePath: String) -> QualitySuite.TestVerdictWithValues {
        let allowed = allowance(baseline: baseline)
        var values: [(String, JSONValue)] = [("baseline", .double(baseline)), ("tolerance", .double(allowed))]
        guard let value = current.value else {
            let why: String
            if case .undefined(let reason) = current { why = reason } else { why = "no value" }
            return .init(
                verdict: .error(
                    "\(name) is undefined on these rows, so it cannot be compared with its baseline \(GateEvaluator.format(baseline)): \(why)"),
                values: values)
        }
        values.insert(("value", .double(value)), at: 0)
        let direction = MetricName.metric(named: name)?.direction ?? .neither
        let change = value - baseline
        let text = "\(name) = \(GateEvaluator.format(value)), baseline \(GateEvaluator.format(baseline)) in \(baselinePath)"
        switch direction {
        case .higherIsBetter, .lowerIsBetter:
            let higher = direction == .higherIsBetter
            let threshold = higher ? baseline - allowed : baseline + allowed
            values.append(("threshold", .double(threshold)))
            values.append(("difference", .double(change)))
            let worseBy = higher ? -change : change
            let describe =
                worseBy > 0
                ? "worse by \(GateEvaluator.format(worseBy))" : (worseBy < 0 ? "better by \(GateEvaluator.format(-worseBy))" : "unchanged")
            let message = "\(text): \(describe), tolerance \(GateEvaluator.format(allowed)) (\(higher ? "higher" : "lower") is better)"
            return .init(verdict: worseBy > allowed ? .failed(message) : TestVerdict(.passed, message), values: values)
        case .neither:
            values.append(("difference", .double(change)))
            let message = "\(text): moved by \(change >= 0 ? "+" : "")\(GateEvaluator.format(change)), tolerance ±\(GateEvaluator.format(allowed))"
            return .init(verdict: abs(change) > allowed ? .failed(message) : TestVerdict(.passed, message), values: values)
        }
    }
}
