import Foundation
import MLRunCore
import MLRunMetrics

/// The paired significance tests against the previous model's predictions on the same rows
/// (`baseline_predictions`): `accuracy::mcnemar` (McNemar's exact test) and, for a binary
/// model with scores, `roc_auc::delong` (DeLong's test). Each fails when the new model is
/// significantly worse at `alpha`: the one-sided p-value for "the new model is worse" is
/// below `alpha`.
struct PairedComparison {
    let spec: QualitySpec

    /// The tests this suite has, in id order of their metric.
    static func testNames(_ spec: QualitySpec) -> [String] {
        guard spec.baselinePredictions != nil else { return [] }
        var names = ["accuracy::mcnemar"]
        if spec.kind == .binary && spec.score != nil { names.append("roc_auc::delong") }
        return names
    }

    /// Checks that the two files hold the same rows (count and true labels, in order).
    func sameRows(new: Predictions, old: Predictions, oldPath: String) -> String? {
        guard new.rows == old.rows else {
            return
                "\(oldPath) has \(old.rows) rows and \(spec.predictionsAsWritten) has \(new.rows); paired tests need the same rows in the same order"
        }
        if let row = (0..<new.rows).first(where: { new.truth[$0] != old.truth[$0] }) {
            return
                "\(oldPath): line \(old.lines[row]): the label differs from \(spec.predictionsAsWritten) line \(new.lines[row]); paired tests need the same rows in the same order"
        }
        return nil
    }

    /// Every paired test's verdict, by test name.
    func compare(new: Predictions, old: Predictions, oldPath: String) -> [String: QualitySuite.TestVerdictWithValues] {
        var out: [String: QualitySuite.TestVerdictWithValues] = [:]
        let names = Self.testNames(spec)
        if let problem = sameRows(new: new, old: old, oldPath: oldPath) {
            for name in names { out[name] = .init(verdict: .error(problem), values: []) }
            return out
        }
        out["accuracy::mcnemar"] = mcNemar(new: new, old: old)
        if names.contains("roc_auc::delong") { out["roc_auc::delong"] = deLong(new: new, old: old) }
        return out
    }

    /// McNemar's exact test, A = the baseline model, B = the new one.
    func mcNemar(new: Predictions, old: Predictions) -> QualitySuite.TestVerdictWithValues {
        let outcome: Computed<PairedTests.McNemar>
        do {
            outcome = try PairedTests.mcNemar(yTrue: new.truth, predictionsA: old.predicted, predictionsB: new.predicted)
        } catch {
            return .init(verdict: .error("McNemar's test: \(error)"), values: [])
        }
        guard let test = outcome.value else {
            return .init(verdict: .error("McNemar's test is undefined: \(outcome.undefinedReason ?? "")"), values: [])
        }
        let n = Double(new.rows)
        let accuracyNew = Double(zip(new.truth, new.predicted).count(where: { $0 == $1 })) / n
        let accuracyOld = Double(zip(old.truth, old.predicted).count(where: { $0 == $1 })) / n
        let values: [(String, JSONValue)] = [
            ("value", .double(accuracyNew)), ("baseline", .double(accuracyOld)),
            ("statistic", .int(test.onlyACorrect)), ("p_value", .double(test.pValueBWorse)),
            ("p_value_two_sided", .double(test.pValue)), ("threshold", .double(spec.alpha)),
            ("only_baseline_correct", .int(test.onlyACorrect)), ("only_new_correct", .int(test.onlyBCorrect)),
        ]
        let text =
            "accuracy \(GateEvaluator.format(accuracyNew)) vs \(GateEvaluator.format(accuracyOld)) of the baseline model; "
            + "\(test.onlyACorrect) rows only the baseline got right, \(test.onlyBCorrect) only the new model; "
            + "McNemar's exact one-sided p = \(GateEvaluator.format(test.pValueBWorse))"
        return verdict(pWorse: test.pValueBWorse, text: text, values: values)
    }

    /// DeLong's test of the two ROC AUCs, A = the baseline model, B = the new one.
    func deLong(new: Predictions, old: Predictions) -> QualitySuite.TestVerdictWithValues {
        let outcome: Computed<PairedTests.DeLong>
        do {
            outcome = try PairedTests.deLong(yTrue: new.truth, scoresA: old.scores, scoresB: new.scores)
        } catch {
            return .init(verdict: .error("DeLong's test: \(error)"), values: [])
        }
        guard let test = outcome.value else {
            return .init(verdict: .error("DeLong's test is undefined: \(outcome.undefinedReason ?? "")"), values: [])
        }
        let values: [(String, JSONValue)] = [
            ("value", .double(test.aucB)), ("baseline", .double(test.aucA)),
            ("statistic", .double(test.z)), ("p_value", .double(test.pValueBWorse)),
            ("p_value_two_sided", .double(test.pValue)), ("threshold", .double(spec.alpha)),
        ]
        let text =
            "roc_auc \(GateEvaluator.format(test.aucB)) vs \(GateEvaluator.format(test.aucA)) of the baseline model; "
            + "DeLong's z = \(GateEvaluator.format(test.z)), one-sided p = \(GateEvaluator.format(test.pValueBWorse))"
        return verdict(pWorse: test.pValueBWorse, text: text, values: values)
    }

    private func verdict(pWorse: Double, text: String, values: [(String, JSONValue)]) -> QualitySuite.TestVerdictWithValues {
        if pWorse < spec.alpha {
            return .init(
                verdict: .failed("the new model is significantly worse: \(text) < alpha \(GateEvaluator.format(spec.alpha))"), values: values)
        }
        return .init(verdict: TestVerdict(.passed, "not significantly worse: \(text) ≥ alpha \(GateEvaluator.format(spec.alpha))"), values: values)
    }
}
