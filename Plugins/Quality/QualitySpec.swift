import Foundation
import MLRunCore
import MLRunMetrics

/// One `[[quality]]` table, validated.
struct QualitySpec: Sendable {
    /// A gate: the metric must stay at or above `min`, or at or below `max`.
    struct Gate: Sendable {
        var metric: String
        var min: Double?
        var max: Double?
        var position: SourcePosition

        var threshold: Double { min ?? max ?? 0 }
        var isMinimum: Bool { min != nil }
    }

    /// What the model predicts, from the gates' metrics and the columns given.
    enum Kind: Sendable, Equatable {
        case binary, multiclass, regression
    }

    var name: String
    var kind: Kind
    /// Multiclass: the label text of class i (the class whose probability is `scores[i]`).
    var classes: [String]
    var markers: [Marker]
    var paths: [String]
    var predictions: URL
    var predictionsAsWritten: String
    var delimiter: UInt8
    var label: String
    /// Binary: the positive-class probability column.
    var score: String?
    /// Multiclass: one probability column per class, class i = column i.
    var scores: [String]
    /// The predicted class column; without it, score ≥ threshold (binary) or argmax.
    var prediction: String?
    /// The positive label as written in the file (binary).
    var positive: String
    var threshold: Double
    var gates: [Gate]
    var segments: [String]
    var minSegmentSize: Int
    var sensitive: String?
    var baseline: URL?
    var baselineAsWritten: String?
    var tolerance: Double?
    var relativeTolerance: Double?
    var ci: Double?
    var resamples: Int
    var gateOnLow: Bool
    var baselinePredictions: URL?
    var baselinePredictionsAsWritten: String?
    var alpha: Double

    static let keys = [
        "name", "markers", "paths", "predictions", "delimiter", "label", "score", "scores", "prediction",
        "positive", "classes", "threshold", "gates", "segments", "min_segment_size", "sensitive", "baseline",
        "tolerance", "relative_tolerance", "ci", "resamples", "gate_on", "baseline_predictions", "alpha",
    ]

    init(table: ConfigTable, environment: PluginEnvironment, knownMetrics: Set<String>) throws(ConfigError) {
        try table.rejectUnknownKeys(allowed: Self.keys)
        let declaration = try table.suiteDeclaration()
        name = declaration.name
        markers = declaration.markers
        let predictionsFile = try table.requiredPath("predictions", relativeTo: environment.configDirectory)
        predictions = predictionsFile.url
        predictionsAsWritten = predictionsFile.written
        delimiter = try table.delimiter() ?? UInt8(ascii: predictions.pathExtension.lowercased() == "tsv" ? "\t" : ",")
        label = try table.requiredString("label")
        score = try table.string("score")
        scores = try table.stringArray("scores") ?? []
        if score != nil && !scores.isEmpty {
            throw ConfigError(
                "\(table.displayName) has both 'score' (binary) and 'scores' (one column per class); keep one", at: table.position(of: "scores"))
        }
        if !scores.isEmpty && scores.count < 2 {
            throw ConfigError("'scores' needs one column per class, at least 2", at: table.position(of: "scores"))
        }
        prediction = try table.string("prediction")
        if score == nil && scores.isEmpty && prediction == nil {
            throw ConfigError(
                "\(table.displayName) needs 'score' (binary probabilities), 'scores' (one column per class) or 'prediction'", at: table.position)
        }
        switch table["positive"]?.value {
        case nil: positive = "1"
        case .string(let s)?: positive = s
        case .int(let i)?: positive = String(i)
        case .bool(let b)?: positive = b ? "true" : "false"
        default:
            throw ConfigError("'positive' must be the positive label as a string, an integer or a boolean", at: table.position(of: "positive"))
        }
        threshold = try table.number("threshold", in: 0...1) ?? 0.5
        gates = []
        if let gateTable = try table.table("gates") {
            for (metric, node) in gateTable.entries {
                guard knownMetrics.contains(metric) else {
                    throw ConfigError(
                        "unknown metric '\(metric)' in [quality.gates] (known: \(knownMetrics.sorted().joined(separator: ", ")))", at: node.position)
                }
                guard case .table(let bound) = node.value else {
                    throw ConfigError("gate '\(metric)' must be { min = … } or { max = … }, not \(node.typeWithArticle)", at: node.position)
                }
                try bound.rejectUnknownKeys(allowed: ["min", "max"])
                let min = try bound.number("min"), max = try bound.number("max")
                guard (min == nil) != (max == nil) else {
                    throw ConfigError("gate '\(metric)' needs exactly one of 'min' or 'max'", at: node.position)
                }
                gates.append(Gate(metric: metric, min: min, max: max, position: node.position))
            }
        }
        if gates.isEmpty {
            throw ConfigError("\(table.displayName) needs at least one gate in [quality.gates], e.g. accuracy = { min = 0.85 }", at: table.position)
        }
        classes = try table.stringArray("classes") ?? []
        let regressionGates = gates.filter { MetricName.metric(named: $0.metric)?.inputKind == .regression }
        if !regressionGates.isEmpty {
            if let other = gates.first(where: { MetricName.metric(named: $0.metric)?.inputKind != .regression }) {
                throw ConfigError(
                    "gate '\(other.metric)' is a classification metric but '\(regressionGates[0].metric)' is a regression one; one suite evaluates one kind of model",
                    at: other.position)
            }
            kind = .regression
            guard prediction != nil else {
                throw ConfigError("regression gates need 'prediction', the column of predicted values", at: table.position)
            }
            for key in ["score", "scores", "positive", "threshold", "classes", "sensitive"] {
                if let node = table[key] {
                    throw ConfigError("'\(key)' is for classification; this suite's gates are regression metrics", at: node.position)
                }
            }
        } else if !scores.isEmpty {
            kind = .multiclass
            if classes.isEmpty {
                classes = scores.indices.map(String.init)
            } else if classes.count != scores.count {
                throw ConfigError(
                    "'classes' names \(classes.count) classes but 'scores' has \(scores.count) columns; class i's probability is scores[i]",
                    at: table.position(of: "classes"))
            }
        } else if classes.count > 2 {
            kind = .multiclass
        } else {
            kind = .binary
        }
        if Set(classes).count != classes.count, let node = table["classes"] {
            throw ConfigError("'classes' lists a class twice", at: node.position)
        }
        for gate in gates {
            guard let metric = MetricName.metric(named: gate.metric) else { continue }
            if metric.needsScores && score == nil && scores.isEmpty {
                throw ConfigError(
                    "gate '\(gate.metric)' needs probabilities: give 'score' (binary) or 'scores' (one column per class)", at: gate.position)
            }
            if metric.needsGroups && table["sensitive"] == nil {
                throw ConfigError(
                    "gate '\(gate.metric)' is a fairness metric: give 'sensitive', the column of the group each row belongs to", at: gate.position)
            }
            if kind == .multiclass && metric.isBinaryOnly {
                throw ConfigError(
                    "gate '\(gate.metric)' is defined for binary models; for \(classes.count) classes use \(metric.multiclassAlternative)",
                    at: gate.position)
            }
        }
        segments = try table.stringArray("segments") ?? []
        minSegmentSize = try table.integer("min_segment_size", in: 1...) ?? 1
        sensitive = try table.string("sensitive")
        if let baselineFile = try table.path("baseline", relativeTo: environment.configDirectory, expecting: .mayBeMissing) {
            baseline = baselineFile.url
            baselineAsWritten = baselineFile.written
        }
        tolerance = try table.number("tolerance", in: 0...1e12)
        relativeTolerance = try table.number("relative_tolerance", in: 0...1e6)
        if tolerance != nil && relativeTolerance != nil {
            throw ConfigError("give 'tolerance' (absolute) or 'relative_tolerance', not both", at: table.position(of: "relative_tolerance"))
        }
        if baseline == nil, let node = table["tolerance"] ?? table["relative_tolerance"] {
            throw ConfigError("a tolerance needs 'baseline', the file of reference values", at: node.position)
        }
        ci = try table.number("ci", in: 0.5...0.9999)
        resamples = try table.integer("resamples", in: 100...100_000) ?? 1000
        gateOnLow = try table.choice("gate_on", ["value": false, "ci_low": true]) ?? false
        if gateOnLow && ci == nil {
            throw ConfigError("gate_on = \"ci_low\" needs 'ci' (e.g. ci = 0.95)", at: table.position(of: "gate_on"))
        }
        if kind == .regression, let node = table["baseline_predictions"] {
            throw ConfigError(
                "'baseline_predictions' adds McNemar's and DeLong's tests of a classifier; this suite's gates are regression metrics",
                at: node.position)
        }
        if let file = try table.path("baseline_predictions", relativeTo: environment.configDirectory) {
            baselinePredictions = file.url
            baselinePredictionsAsWritten = file.written
        }
        alpha = try table.number("alpha", in: 1e-12...0.5) ?? 0.05
        // Every file the suite reads selects it under --changed.
        paths =
            declaration.paths
            + [predictionsAsWritten, baselineAsWritten, baselinePredictionsAsWritten]
            .compactMap { $0 }.map(PathGlob.literal)
    }

}
