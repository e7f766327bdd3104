import Foundation
import MLRunCore
import MLRunMetrics

/// One `[[quality]]` table: one test per gate, per gate and segment value, per baseline
/// comparison and per paired significance test. The predictions are read once (at collection
/// when segments must be listed, else by the first test) and every test reads its result.
final class QualitySuite: Suite, @unchecked Sendable {
    let spec: QualitySpec
    let environment: PluginEnvironment
    var name: String { spec.name }
    var plugin: String { "quality" }
    var markers: [Marker] { spec.markers }
    var paths: [String] { spec.paths }

    private let lock = NSLock()
    private var loaded: Result<Predictions, QualityError>?
    private var results: [String: TestVerdictWithValues]?

    struct TestVerdictWithValues: Sendable {
        var verdict: TestVerdict
        var values: [(String, JSONValue)]
    }

    struct QualityError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    init(spec: QualitySpec, environment: PluginEnvironment) {
        self.spec = spec
        self.environment = environment
    }

    // MARK: collection

    func collect() async throws(SuiteError) -> [TestCase] {
        var names = spec.gates.map(\.metric)
        if !spec.segments.isEmpty {
            let predictions: Predictions
            switch load() {
            case .success(let value): predictions = value
            case .failure(let error): throw SuiteError(error.description)
            }
            for segment in spec.segments {
                for value in predictions.groups[segment]?.values.sorted() ?? [] {
                    names += spec.gates.map { "\($0.metric)[\(segment)=\(value)]" }
                }
            }
        }
        let baseline = (try? Baseline.read(spec.baseline)) ?? [:]
        for gate in spec.gates where baseline[gate.metric] != nil || (environment.updateBaselines && spec.baseline != nil) {
            names.append("\(gate.metric)::vs_baseline")
        }
        if spec.baselinePredictions != nil {
            for gate in spec.gates where gate.metric == "accuracy" || gate.metric == "roc_auc" {
                names.append("\(gate.metric)::vs_baseline_predictions")
            }
        }
        return names.map { TestCase(name: $0, markers: [Marker("quality")]) }
    }

    private func load() -> Result<Predictions, QualityError> {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let result: Result<Predictions, QualityError>
        do {
            result = .success(try Predictions.read(spec, file: spec.predictions, displayPath: spec.predictionsAsWritten))
        } catch {
            result = .failure(QualityError(description: "\(error)"))
        }
        loaded = result
        return result
    }

    // MARK: running

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let all: [String: TestVerdictWithValues]
        switch evaluateAll() {
        case .failure(let error): return .error(error.description)
        case .success(let value): all = value
        }
        guard let result = all[test.name] else { return .error("no result for \(test.name)") }
        for (key, value) in result.values { context.record(key, value) }
        return result.verdict
    }

    private func evaluateAll() -> Result<[String: TestVerdictWithValues], QualityError> {
        if let results = lock.withLock({ self.results }) { return .success(results) }
        let predictions: Predictions
        switch load() {
        case .success(let value): predictions = value
        case .failure(let error): return .failure(error)
        }
        var out: [String: TestVerdictWithValues] = [:]
        let evaluator = GateEvaluator(spec: spec, runSeed: environment.runSeed)
        var current: [String: Double] = [:]
        for gate in spec.gates {
            let result = evaluator.gate(gate, on: predictions, label: gate.metric)
            out[gate.metric] = result.outcome
            if let value = result.value { current[gate.metric] = value }
            for segment in spec.segments {
                guard let group = predictions.groups[segment] else { continue }
                for (code, value) in group.values.enumerated() {
                    let rows = group.codes.indices.filter { group.codes[$0] == Int32(code) }
                    let testName = "\(gate.metric)[\(segment)=\(value)]"
                    if rows.count < spec.minSegmentSize {
                        out[testName] = TestVerdictWithValues(
                            verdict: .skipped("segment \(segment)=\(value) has \(rows.count) rows, fewer than min_segment_size = \(spec.minSegmentSize)"),
                            values: [("element_count", .int(rows.count))])
                        continue
                    }
                    out[testName] = evaluator.gate(gate, on: predictions.subset(rows), label: testName).outcome
                }
            }
        }
        // Baselines.
        if spec.baseline != nil {
            let comparisons = BaselineComparison(spec: spec, update: environment.updateBaselines)
            for (name, result) in comparisons.compare(current: current) { out[name] = result }
        }
        // Paired significance tests against the baseline model's predictions.
        if let other = spec.baselinePredictions {
            let paired = PairedComparison(spec: spec)
            do {
                let old = try Predictions.read(spec, file: other, displayPath: spec.baselinePredictionsAsWritten ?? other.path)
                for (name, result) in paired.compare(new: predictions, old: old) { out[name] = result }
            } catch {
                for gate in spec.gates where gate.metric == "accuracy" || gate.metric == "roc_auc" {
                    out["\(gate.metric)::vs_baseline_predictions"] = TestVerdictWithValues(verdict: .error("\(error)"), values: [])
                }
            }
        }
        lock.withLock { results = out }
        return .success(out)
    }
}
