import Dispatch
import Foundation
import MLRunCore
import MLRunStats

/// Computes every column's methods (columns in parallel), corrects the p-values across the
/// suite, and turns each result into a verdict.
///
/// Decisions: a p-value test (ks, chi2) flags drift when its p-value — adjusted by the suite's
/// `correction` across all of the suite's p-value tests — is ≤ `alpha` (statsmodels'
/// `multipletests` decisions; with `correction = "none"` that is p ≤ alpha), and, when
/// `min_effect` is set, its effect size (the KS statistic D, Cramér's V) also exceeds
/// `min_effect`. A distance (psi, jensen_shannon, wasserstein, zscore) flags drift when it
/// exceeds its `threshold`.
struct DriftEvaluation {
    let spec: DriftSpec

    /// One method on one column, before the correction.
    struct Measured: Sendable {
        var statistic: Double?
        var pValue: Double?
        var effect: Double?
        var values: [(String, JSONValue)] = []
        var label: String
        var problem: String?
    }

    struct Task {
        var column: DriftSuite.PreparedColumn
        var method: DriftMethod
        var name: String { "\(column.name)::\(method.rawValue)" }
    }

    func evaluate(_ columns: [DriftSuite.PreparedColumn]) -> [String: DriftSuite.Verdict] {
        let tasks = columns.flatMap { column in column.methods.map { Task(column: column, method: $0) } }
        let measured = UnsafeMutableBufferPointer<Measured?>.allocate(capacity: tasks.count)
        measured.initialize(repeating: nil)
        defer { measured.deallocate() }
        let slots = SendableBuffer(pointer: measured)
        DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
            slots.pointer[index] = measure(tasks[index])
        }
        // concurrentPerform has written every slot.
        let results = zip(tasks, measured).compactMap { task, result in result.map { (task: task, measured: $0) } }

        // The correction across the suite's p-values.
        let tested = results.indices.compactMap { index in results[index].measured.pValue.map { (index: index, pValue: $0) } }
        var rejected: [Int: Bool] = [:]
        var adjusted: [Int: Double] = [:]
        if let correction = try? MultipleTesting.adjust(tested.map(\.pValue), alpha: spec.alpha, method: spec.correction) {
            for (k, test) in tested.enumerated() {
                rejected[test.index] = correction.rejected[k]
                adjusted[test.index] = correction.pValues[k]
            }
        }

        var out: [String: DriftSuite.Verdict] = [:]
        for (index, result) in results.enumerated() {
            out[result.task.name] = verdict(result.task, result.measured, rejected: rejected[index], adjusted: adjusted[index], tests: tested.count)
        }
        return out
    }

    private func verdict(_ task: Task, _ result: Measured, rejected: Bool?, adjusted: Double?, tests: Int) -> DriftSuite.Verdict {
        let column = task.column.name
        var values = result.values
        if let problem = result.problem { return .init(verdict: .error(problem), values: values) }
        guard let statistic = result.statistic else { return .init(verdict: .error("no statistic"), values: values) }
        if let p = result.pValue, let rejected {
            let minEffect = spec.columnSettings[column]?.minEffect ?? spec.minEffect
            values.append(("threshold", .double(spec.alpha)))
            var text = "\(column): \(result.label) = \(Self.format(statistic)), p = \(Self.format(p))"
            if spec.correction != .none, let adjusted {
                values.append(("p_value_adjusted", .double(adjusted)))
                values.append(("correction", .string(spec.correction.rawValue)))
                text += " (\(Self.correctionName(spec.correction))-adjusted over \(tests) tests: \(Self.format(adjusted)))"
            }
            let effect = result.effect ?? statistic
            values.append(("effect_size", .double(effect)))
            if let minEffect { values.append(("min_effect", .double(minEffect))) }
            guard rejected else {
                return .init(verdict: TestVerdict(.passed, text + " > alpha \(Self.format(spec.alpha))"), values: values)
            }
            if let minEffect, effect <= minEffect {
                return .init(
                    verdict: TestVerdict(
                        .passed,
                        text
                            + " ≤ alpha \(Self.format(spec.alpha)), but the effect size \(Self.format(effect)) ≤ min_effect \(Self.format(minEffect)): a significant but negligible shift"
                    ), values: values)
            }
            let effectNote = minEffect.map { ", effect size \(Self.format(effect)) > min_effect \(Self.format($0))" } ?? ""
            return .init(verdict: .failed("drift in " + text + " ≤ alpha \(Self.format(spec.alpha))" + effectNote), values: values)
        }
        let threshold = spec.columnSettings[column]?.threshold ?? spec.threshold ?? task.method.defaultThreshold ?? 0
        values.append(("threshold", .double(threshold)))
        let text = "\(column): \(result.label) = \(Self.format(statistic))"
        if statistic > threshold {
            return .init(verdict: .failed("drift in \(text) > threshold \(Self.format(threshold))"), values: values)
        }
        return .init(verdict: TestVerdict(.passed, "\(text) ≤ threshold \(Self.format(threshold))"), values: values)
    }

    static func correctionName(_ method: MultipleTesting.Method) -> String {
        switch method {
        case .none: return "un"
        case .bonferroni: return "Bonferroni"
        case .holm: return "Holm"
        case .benjaminiHochberg: return "Benjamini–Hochberg"
        }
    }

    static func format(_ value: Double) -> String {
        if value == 0 || !value.isFinite { return "\(value)" }
        return String(format: "%.4g", value)
    }

    // MARK: one column, one method

    func measure(_ task: Task) -> Measured {
        let column = task.column
        var measured = Measured(label: task.method.rawValue)
        if let problem = column.problem {
            measured.problem = problem
            return measured
        }
        let referenceMissing: Int
        switch column.reference {
        case .numeric(_, _, _, let missing), .categorical(_, let missing): referenceMissing = missing
        }
        measured.values = [("missing_reference", .int(referenceMissing)), ("missing_current", .int(column.current.missing))]
        do {
            switch (task.method, column.kind) {
            case (.ks, .numeric):
                guard case .numeric(let reference, _, _, _) = column.reference else { break }
                let outcome = try KolmogorovSmirnov.test(reference: reference, current: column.current.numbers)
                guard let ks = try defined(outcome, &measured) else { return measured }
                measured.statistic = ks.statistic
                measured.pValue = ks.pValue
                measured.effect = ks.effectSize
                measured.label = "KS D"
                measured.values =
                    [
                        ("statistic", .double(ks.statistic)), ("p_value", .double(ks.pValue)),
                        ("n_reference", .int(ks.referenceCount)), ("n_current", .int(ks.currentCount)),
                        ("ks_method", .string(ks.method.rawValue)),
                    ] + measured.values
                return measured
            case (.chi2, .categorical):
                guard let counts = referenceCounts(column) else { break }
                let outcome = try ChiSquare.test(reference: counts, current: column.current.counts)
                guard let chi = try defined(outcome, &measured) else { return measured }
                measured.statistic = chi.statistic
                measured.pValue = chi.pValue
                measured.effect = chi.effectSize
                measured.label = "χ²"
                measured.values =
                    [
                        ("statistic", .double(chi.statistic)), ("p_value", .double(chi.pValue)),
                        ("n_reference", .int(counts.values.reduce(0, +))), ("n_current", .int(column.current.present)),
                        ("dof", .int(chi.degreesOfFreedom)), ("cramers_v", .double(chi.cramersV)),
                    ] + measured.values
                return measured
            case (.psi, _), (.jensenShannon, _):
                let outcome: Computed<BinnedProportions>
                let referenceCount: Int
                if column.kind == .numeric, case .numeric(let values, let summary, _, _) = column.reference {
                    if let summary {
                        outcome = try BinnedProportions.numeric(reference: summary, current: column.current.numbers)
                        referenceCount = summary.count
                    } else {
                        outcome = try BinnedProportions.numeric(reference: values, current: column.current.numbers)
                        referenceCount = values.count
                    }
                } else if let counts = referenceCounts(column) {
                    outcome = BinnedProportions.categorical(try CategoryCounts(reference: counts, current: column.current.counts))
                    referenceCount = counts.values.reduce(0, +)
                } else {
                    break
                }
                guard let binned = try defined(outcome, &measured) else { return measured }
                let value = task.method == .psi ? binned.populationStabilityIndex : binned.jensenShannonDistance
                measured.statistic = value
                measured.label = task.method == .psi ? "PSI" : "Jensen–Shannon distance"
                measured.values =
                    [
                        ("statistic", .double(value)), ("n_reference", .int(referenceCount)),
                        ("n_current", .int(column.current.present)), ("bins", .int(binned.referenceCounts.count)),
                    ] + measured.values
                return measured
            case (.wasserstein, .numeric):
                guard case .numeric(let reference, _, _, _) = column.reference else { break }
                let outcome = try Wasserstein.distance(reference: reference, current: column.current.numbers)
                guard let w = try defined(outcome, &measured) else { return measured }
                guard let normalized = w.normalized.value else {
                    measured.problem = "\(column.name): \(w.normalized.undefinedReason ?? "the normalised Wasserstein distance is undefined")"
                    return measured
                }
                measured.statistic = normalized
                measured.label = "Wasserstein distance / std(reference)"
                measured.values =
                    [
                        ("statistic", .double(normalized)), ("distance", .double(w.distance)),
                        ("reference_std", .double(w.referenceStandardDeviation)),
                        ("n_reference", .int(reference.count)), ("n_current", .int(column.current.numbers.count)),
                    ] + measured.values
                return measured
            case (.zscore, .numeric):
                guard case .numeric(let values, let summary, _, _) = column.reference else { break }
                let outcome =
                    try summary.map { s throws(StatsInputError) in try MeanShift.zScore(reference: s, current: column.current.numbers) }
                    ?? MeanShift.zScore(reference: values, current: column.current.numbers)
                guard let shift = try defined(outcome, &measured) else { return measured }
                measured.statistic = shift.zScore
                measured.label = "mean shift z"
                measured.values =
                    [
                        ("statistic", .double(shift.zScore)), ("reference_mean", .double(shift.referenceMean)),
                        ("current_mean", .double(shift.currentMean)), ("reference_std", .double(shift.referenceStandardDeviation)),
                        ("n_reference", .int(summary?.count ?? values.count)), ("n_current", .int(column.current.numbers.count)),
                    ] + measured.values
                return measured
            default:
                break
            }
        } catch {
            measured.problem = "\(column.name): \(error)"
            return measured
        }
        measured.problem =
            "'\(task.method.rawValue)' does not apply to '\(column.name)', a \(column.kind.rawValue) column"
            + (column.kind == .numeric
                ? " (chi2 compares categories; declare type = \"categorical\" to treat its values as such)" : " (use chi2, psi or jensen_shannon)")
        return measured
    }

    /// The reference's value counts, where it has them.
    private func referenceCounts(_ column: DriftSuite.PreparedColumn) -> [String: Int]? {
        switch column.reference {
        case .categorical(let counts, _): return counts
        case .numeric(_, _, let counts, _): return counts
        }
    }

    /// The value, or nil with `measured.problem` set to why it is undefined.
    private func defined<T>(_ outcome: Computed<T>, _ measured: inout Measured) throws -> T? {
        if let value = outcome.value { return value }
        measured.problem = "undefined: \(outcome.undefinedReason ?? "")"
        return nil
    }
}

/// A buffer that `concurrentPerform`'s iterations write to at distinct indices.
private struct SendableBuffer<T>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<T>
}
