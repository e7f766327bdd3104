import Foundation
import MLRunCore
import MLRunMetrics

/// One `[[quality]]` table: one test per gate, per gate and segment value, per baseline
/// comparison and per paired significance test.
///
/// The predictions are read once (at collection when segments must be listed, else by the
/// first test to run), every metric is computed in one evaluation on a thread of its own, and
/// each test reports its part of it.
final class QualitySuite: Suite, @unchecked Sendable {
    let spec: QualitySpec
    let environment: PluginEnvironment
    var name: String { spec.name }
    var plugin: String { "quality" }
    var markers: [Marker] { spec.markers }
    var paths: [String] { spec.paths }

    private let lock = NSLock()
    private var loaded: Result<Predictions, QualityError>?
    private var results: Result<Evaluation, QualityError>?
    /// Under `--update-baselines`: the outcome of rewriting the baseline file, once.
    private var baselineWrite: Result<PreviousBaseline, QualityError>?

    /// What a baseline file held before `--update-baselines` rewrote it.
    enum PreviousBaseline: Sendable {
        case none
        case unreadable(String)
        case read(Baseline)
    }

    /// A test's verdict with the values it records.
    struct TestVerdictWithValues: Sendable {
        var verdict: TestVerdict
        var values: [(String, JSONValue)]
    }

    /// Why the suite cannot evaluate at all (an unreadable predictions file, say).
    struct QualityError: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Everything one evaluation found.
    struct Evaluation: Sendable {
        var tests: [String: TestVerdictWithValues] = [:]
        /// The overall value of each gated metric (for baselines).
        var current: [(String, Computed<Double>)] = []
        var rows = 0
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
            switch await DedicatedThread.run({ self.load() }) {
            case .success(let value): predictions = value
            case .failure(let error): throw SuiteError(error.description)
            }
            for segment in spec.segments {
                for value in predictions.groups[segment]?.values ?? [] {
                    names += spec.gates.map { Self.segmentTestName(metric: $0.metric, segment: segment, value: value) }
                }
            }
        }
        names += try baselineTestNames()
        names += PairedComparison.testNames(spec)
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw SuiteError("two tests would have the id \(spec.name)::\(name); segment values must differ from each other")
        }
        return names.map { TestCase(name: $0, markers: [Marker("quality")]) }
    }

    static func segmentTestName(metric: String, segment: String, value: String) -> String {
        "\(metric)[\(segment)=\(value)]"
    }

    /// `<metric>::vs_baseline` for each gated metric the baseline holds; for every gated
    /// metric under `--update-baselines`.
    private func baselineTestNames() throws(SuiteError) -> [String] {
        guard let file = spec.baseline, let written = spec.baselineAsWritten else { return [] }
        if environment.updateBaselines { return spec.gates.map { "\($0.metric)::vs_baseline" } }
        let baseline: Baseline?
        do {
            baseline = try Baseline.read(file, displayPath: written)
        } catch {
            throw SuiteError(error.description)
        }
        guard let baseline else {
            throw SuiteError("baseline \(written) does not exist; write it from this run's values with: mlrun --update-baselines \(spec.name)::")
        }
        let held = spec.gates.filter { baseline[$0.metric] != nil }.map { "\($0.metric)::vs_baseline" }
        if held.isEmpty {
            throw SuiteError(
                "baseline \(written) holds none of the gated metrics (\(spec.gates.map(\.metric).joined(separator: ", "))); update it with: mlrun --update-baselines \(spec.name)::"
            )
        }
        return held
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
        let evaluation: Evaluation
        switch await DedicatedThread.run({ self.evaluate() }) {
        case .failure(let error): return .error(error.description)
        case .success(let value): evaluation = value
        }
        if environment.updateBaselines && test.name.hasSuffix("::vs_baseline") {
            return updateBaseline(test, evaluation: evaluation, context: context)
        }
        guard let result = evaluation.tests[test.name] else { return .error("no result for \(test.name)") }
        for (key, value) in result.values { context.record(key, value) }
        return result.verdict
    }

    /// Every test's verdict, computed once.
    private func evaluate() -> Result<Evaluation, QualityError> {
        if let results = lock.withLock({ self.results }) { return results }
        let result = load().flatMap { predictions in Result(catching: { () throws(QualityError) in try self.evaluate(predictions) }) }
        lock.withLock { results = result }
        return result
    }

    private func evaluate(_ predictions: Predictions) throws(QualityError) -> Evaluation {
        var evaluation = Evaluation()
        evaluation.rows = predictions.rows
        let evaluator = GateEvaluator(spec: spec, runSeed: environment.runSeed)
        let metrics = spec.gates.compactMap { MetricName.metric(named: $0.metric) }
        // The whole file.
        let overall = GateEvaluator.values(metrics, on: predictions, spec: spec)
        let overallIntervals = evaluator.intervals(metrics, on: predictions, label: "")
        for gate in spec.gates {
            let metric = MetricName.metric(named: gate.metric)
            let computed = metric.flatMap { overall[$0] } ?? .undefined("unknown metric")
            evaluation.tests[gate.metric] = evaluator.gate(
                gate, computed: computed, interval: metric.flatMap { overallIntervals[$0] }, on: predictions)
            evaluation.current.append((gate.metric, computed))
        }
        // Each segment value: its rows, as predictions of their own.
        for segment in spec.segments {
            guard let group = predictions.groups[segment] else { continue }
            for (code, rows) in predictions.rowsByValue(of: segment).enumerated() {
                let value = group.values[code]
                if rows.count < spec.minSegmentSize {
                    for gate in spec.gates {
                        evaluation.tests[Self.segmentTestName(metric: gate.metric, segment: segment, value: value)] = .init(
                            verdict: .skipped(
                                "segment \(segment)=\(value) has \(rows.count) rows, fewer than min_segment_size = \(spec.minSegmentSize)"),
                            values: [("element_count", .int(rows.count))])
                    }
                    continue
                }
                let part = predictions.subset(rows)
                let values = GateEvaluator.values(metrics, on: part, spec: spec)
                let intervals = evaluator.intervals(metrics, on: part, label: "[\(segment)=\(value)]")
                for gate in spec.gates {
                    let name = Self.segmentTestName(metric: gate.metric, segment: segment, value: value)
                    let metric = MetricName.metric(named: gate.metric)
                    let computed = metric.flatMap { values[$0] } ?? .undefined("unknown metric")
                    evaluation.tests[name] = evaluator.gate(gate, computed: computed, interval: metric.flatMap { intervals[$0] }, on: part)
                }
            }
        }
        // Baselines (an ordinary run; --update-baselines writes them in `updateBaseline`).
        if let file = spec.baseline, let written = spec.baselineAsWritten, !environment.updateBaselines {
            do {
                if let baseline = try Baseline.read(file, displayPath: written) {
                    let comparison = BaselineComparison(spec: spec)
                    for (metric, value) in evaluation.current {
                        guard let reference = baseline[metric] else { continue }
                        evaluation.tests["\(metric)::vs_baseline"] = comparison.compare(
                            metric: metric, current: value, baseline: reference, baselinePath: written)
                    }
                }
            } catch {
                for gate in spec.gates { evaluation.tests["\(gate.metric)::vs_baseline"] = .init(verdict: .error(error.description), values: []) }
            }
        }
        // Paired significance tests against the baseline model's predictions.
        if let other = spec.baselinePredictions {
            let path = spec.baselinePredictionsAsWritten ?? other.path
            let paired = PairedComparison(spec: spec)
            do {
                let old = try Predictions.read(spec, file: other, displayPath: path)
                for (name, result) in paired.compare(new: predictions, old: old, oldPath: path) { evaluation.tests[name] = result }
            } catch {
                for name in PairedComparison.testNames(spec) { evaluation.tests[name] = .init(verdict: .error("\(error)"), values: []) }
            }
        }
        return evaluation
    }

    // MARK: --update-baselines

    /// Rewrites the baseline file from this run's values (once per suite, when its first
    /// `vs_baseline` test runs), then reports this metric's new reference value.
    private func updateBaseline(_ test: TestCase, evaluation: Evaluation, context: TestContext) -> TestVerdict {
        guard let file = spec.baseline, let written = spec.baselineAsWritten else { return .error("no baseline configured") }
        let metric = String(test.name.dropLast("::vs_baseline".count))
        guard let current = evaluation.current.first(where: { $0.0 == metric })?.1 else { return .error("no value for \(metric)") }
        guard let value = current.value else {
            return .error("\(metric) is undefined on these rows, so its baseline was not updated: \(current)")
        }
        let write: Result<PreviousBaseline, QualityError> = lock.withLock {
            if let baselineWrite { return baselineWrite }
            let result = Result(catching: { () throws(QualityError) -> PreviousBaseline in
                try self.writeBaseline(file, written: written, evaluation: evaluation)
            })
            baselineWrite = result
            return result
        }
        context.record("value", .double(value))
        context.record("baseline", .double(value))
        switch write {
        case .failure(let error):
            return .error(error.description)
        case .success(let previous):
            let was: String
            switch previous {
            case .none: was = "no baseline file before"
            case .unreadable(let why): was = "replaced a file that could not be read: \(why)"
            case .read(let old): was = old[metric].map { "was \(GateEvaluator.format($0))" } ?? "not in the file before"
            }
            return TestVerdict(.passed, "baseline updated: \(metric) = \(GateEvaluator.format(value)) written to \(written) (\(was))")
        }
    }

    /// Writes the file; returns what it held before.
    private func writeBaseline(_ file: URL, written: String, evaluation: Evaluation) throws(QualityError) -> PreviousBaseline {
        let previous: PreviousBaseline
        do {
            previous = try Baseline.read(file, displayPath: written).map(PreviousBaseline.read) ?? .none
        } catch {
            previous = .unreadable(error.description)
        }
        var old: Baseline?
        if case .read(let baseline) = previous { old = baseline }
        let defined = evaluation.current.compactMap { metric, computed in computed.value.map { (metric, $0) } }
        let meta = Baseline.metadata(
            predictions: spec.predictions, predictionsAsWritten: spec.predictionsAsWritten,
            rows: evaluation.rows, configDirectory: environment.configDirectory)
        let updated = (old ?? Baseline(values: [], meta: nil)).updated(with: defined, meta: meta)
        do {
            try updated.write(to: file, displayPath: written)
        } catch {
            throw QualityError(description: error.description)
        }
        return previous
    }
}
