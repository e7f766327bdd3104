import Foundation
import MLRunKit

/// `[[gates]]`: bounds on the metrics a training job wrote to a JSON file, one test per bound.
///
/// ```toml
/// [[gates]]
/// name = "churn-gates"
/// metrics = "artifacts/metrics.json"   # {"accuracy": 0.91, "log_loss": 0.31, ...}
/// min = { accuracy = 0.85, roc_auc = 0.90 }
/// max = { log_loss = 0.40 }
/// ```
///
/// Tests are `churn-gates::accuracy::min`, `churn-gates::log_loss::max`, …; each records
/// `value` and `threshold`. The metrics file is one of the suite's paths, so changing it
/// selects the suite under `--changed`.
public struct MetricGatesPlugin: SuitePlugin {
    public init() {}

    public var tableName: String { "gates" }
    public var summary: String { "bounds on metrics a training job wrote to a JSON file" }

    public func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            try table.rejectUnknownKeys(allowed: ["name", "markers", "paths", "metrics", "min", "max"])
            let declaration = try table.suiteDeclaration()
            let metrics = try table.requiredString("metrics")
            var gates: [Gate] = []
            for (key, kind) in [("min", Gate.Kind.min), ("max", .max)] {
                guard let bounds = try table.table(key) else { continue }
                for (metric, _) in bounds.entries {
                    guard let threshold = try bounds.number(metric) else { continue }
                    gates.append(Gate(metric: metric, kind: kind, threshold: threshold))
                }
            }
            if gates.isEmpty {
                throw ConfigError("\(table.displayName) declares no gates: add min = { … } or max = { … }", at: table.position)
            }
            suites.append(
                MetricGatesSuite(
                    name: declaration.name,
                    markers: declaration.markers.contains(Marker("quality")) ? declaration.markers : [Marker("quality")] + declaration.markers,
                    paths: declaration.paths + [metrics],
                    metricsFile: URL(fileURLWithPath: metrics, relativeTo: environment.configDirectory).standardizedFileURL,
                    gates: gates
                ))
        }
        return suites
    }
}

/// One bound on one metric.
struct Gate: Sendable {
    enum Kind: String, Sendable { case min, max }
    var metric: String
    var kind: Kind
    var threshold: Double

    var testName: String { "\(metric)::\(kind.rawValue)" }
}

final class MetricGatesSuite: Suite {
    let name: String
    let markers: [Marker]
    let paths: [String]
    var plugin: String { "gates" }
    let metricsFile: URL
    let gates: [Gate]

    init(name: String, markers: [Marker], paths: [String], metricsFile: URL, gates: [Gate]) {
        self.name = name
        self.markers = markers
        self.paths = paths
        self.metricsFile = metricsFile
        self.gates = gates
    }

    func collect() async throws(SuiteError) -> [TestCase] {
        gates.map { TestCase(name: $0.testName) }
    }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        guard let gate = gates.first(where: { $0.testName == test.name }) else {
            return .error("no gate named \(test.name)")
        }
        let metrics: JSONValue
        do {
            let text = try String(contentsOf: metricsFile, encoding: .utf8)
            metrics = try JSONValue.parse(text)
        } catch let error as JSONParseError {
            return .error("\(metricsFile.path): not valid JSON: \(error)")
        } catch {
            return .error("cannot read \(metricsFile.path): \(error.localizedDescription)")
        }
        guard let value = metrics[gate.metric]?.numberValue else {
            return .failed("metric '\(gate.metric)' is missing from \(metricsFile.lastPathComponent) or is not a number")
        }
        context.record("value", .double(value))
        context.record("threshold", .double(gate.threshold))
        switch gate.kind {
        case .min where value < gate.threshold:
            return .failed("\(gate.metric) = \(value) is below the minimum \(gate.threshold)")
        case .max where value > gate.threshold:
            return .failed("\(gate.metric) = \(value) is above the maximum \(gate.threshold)")
        default:
            return .passed
        }
    }
}
