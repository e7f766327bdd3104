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

    static let keys = ["name", "markers", "paths", "predictions", "delimiter", "label", "score", "scores", "prediction",
                       "positive", "classes", "threshold", "gates", "segments", "min_segment_size", "sensitive", "baseline",
                       "tolerance", "relative_tolerance", "ci", "resamples", "gate_on", "baseline_predictions", "alpha"]

    init(table: ConfigTable, environment: PluginEnvironment, knownMetrics: Set<String>) throws(ConfigError) {
        try table.rejectUnknownKeys(allowed: Self.keys)
        let declaration = try table.suiteDeclaration()
        name = declaration.name
        markers = declaration.markers
        func file(_ key: String, required: Bool) throws(ConfigError) -> (URL, String)? {
            guard let written = required ? try table.requiredString(key) : try table.string(key) else { return nil }
            let url = URL(fileURLWithPath: written, relativeTo: environment.configDirectory).standardizedFileURL
            return (url, written)
        }
        let predictionsFile = try file("predictions", required: true)!
        predictions = predictionsFile.0
        predictionsAsWritten = predictionsFile.1
        guard FileManager.default.isReadableFile(atPath: predictions.path) else {
            throw ConfigError("'predictions' in \(table.displayName): no readable file \(predictions.path)", at: table["predictions"]!.position)
        }
        let delimiterText = try table.string("delimiter") ?? (predictions.pathExtension.lowercased() == "tsv" ? "\t" : ",")
        guard delimiterText.utf8.count == 1, let byte = delimiterText.utf8.first, byte != UInt8(ascii: "\"") else {
            throw ConfigError("'delimiter' in \(table.displayName) must be one ASCII character other than a quote", at: table["delimiter"]?.position ?? table.position)
        }
        delimiter = byte
        label = try table.requiredString("label")
        score = try table.string("score")
        scores = try table.stringArray("scores") ?? []
        if score != nil && !scores.isEmpty {
            throw ConfigError("\(table.displayName) has both 'score' (binary) and 'scores' (one column per class); keep one", at: table["scores"]!.position)
        }
        if !scores.isEmpty && scores.count < 2 {
            throw ConfigError("'scores' needs one column per class, at least 2", at: table["scores"]!.position)
        }
        prediction = try table.string("prediction")
        if score == nil && scores.isEmpty && prediction == nil {
            throw ConfigError("\(table.displayName) needs 'score' (binary probabilities), 'scores' (one column per class) or 'prediction'", at: table.position)
        }
        switch table["positive"]?.value {
        case nil: positive = "1"
        case .string(let s)?: positive = s
        case .int(let i)?: positive = String(i)
        case .bool(let b)?: positive = b ? "true" : "false"
        default:
            throw ConfigError("'positive' must be the positive label as a string, an integer or a boolean", at: table["positive"]!.position)
        }
        threshold = try table.number("threshold", in: 0...1) ?? 0.5
        gates = []
        if let gateTable = try table.table("gates") {
            for (metric, node) in gateTable.entries {
                guard knownMetrics.contains(metric) else {
                    throw ConfigError("unknown metric '\(metric)' in [quality.gates] (known: \(knownMetrics.sorted().joined(separator: ", ")))", at: node.position)
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
                throw ConfigError("gate '\(other.metric)' is a classification metric but '\(regressionGates[0].metric)' is a regression one; one suite evaluates one kind of model", at: other.position)
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
                throw ConfigError("'classes' names \(classes.count) classes but 'scores' has \(scores.count) columns; class i's probability is scores[i]", at: table["classes"]!.position)
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
                throw ConfigError("gate '\(gate.metric)' needs probabilities: give 'score' (binary) or 'scores' (one column per class)", at: gate.position)
            }
            if metric.needsGroups && table["sensitive"] == nil {
                throw ConfigError("gate '\(gate.metric)' is a fairness metric: give 'sensitive', the column of the group each row belongs to", at: gate.position)
            }
            if kind == .multiclass && metric.isBinaryOnly {
                throw ConfigError("gate '\(gate.metric)' is defined for binary models; for \(classes.count) classes use \(metric.multiclassAlternative)", at: gate.position)
            }
        }
        segments = try table.stringArray("segments") ?? []
        if let node = table["min_segment_size"] {
            guard case .int(let size) = node.value, size >= 1 else {
                throw ConfigError("'min_segment_size' must be a positive integer, not \(node.typeWithArticle)", at: node.position)
            }
            minSegmentSize = size
        } else {
            minSegmentSize = 1
        }
        sensitive = try table.string("sensitive")
        if let baselineFile = try file("baseline", required: false) {
            baseline = baselineFile.0
            baselineAsWritten = baselineFile.1
        }
        tolerance = try table.number("tolerance", in: 0...1e12)
        relativeTolerance = try table.number("relative_tolerance", in: 0...1e6)
        if tolerance != nil && relativeTolerance != nil {
            throw ConfigError("give 'tolerance' (absolute) or 'relative_tolerance', not both", at: table["relative_tolerance"]!.position)
        }
        if baseline == nil, let node = table["tolerance"] ?? table["relative_tolerance"] {
            throw ConfigError("a tolerance needs 'baseline', the file of reference values", at: node.position)
        }
        ci = try table.number("ci", in: 0.5...0.9999)
        if let node = table["resamples"] {
            guard case .int(let count) = node.value, count >= 100, count <= 100_000 else {
                throw ConfigError("'resamples' must be an integer from 100 to 100000", at: node.position)
            }
            resamples = count
        } else {
            resamples = 1000
        }
        switch try table.string("gate_on") {
        case nil, "value"?: gateOnLow = false
        case "ci_low"?:
            guard ci != nil else { throw ConfigError("gate_on = \"ci_low\" needs 'ci' (e.g. ci = 0.95)", at: table["gate_on"]!.position) }
            gateOnLow = true
        case let other?:
            throw ConfigError("'gate_on' must be \"value\" or \"ci_low\", not \"\(other)\"", at: table["gate_on"]!.position)
        }
        if let file = try file("baseline_predictions", required: false) {
            guard kind != .regression else {
                throw ConfigError("'baseline_predictions' adds McNemar's and DeLong's tests of a classifier; this suite's gates are regression metrics", at: table["baseline_predictions"]!.position)
            }
            guard FileManager.default.isReadableFile(atPath: file.0.path) else {
                throw ConfigError("'baseline_predictions': no readable file \(file.0.path)", at: table["baseline_predictions"]!.position)
            }
            baselinePredictions = file.0
            baselinePredictionsAsWritten = file.1
        }
        alpha = try table.number("alpha", in: 1e-12...0.5) ?? 0.05
        // Every file the suite reads selects it under --changed.
        paths = declaration.paths + [predictionsAsWritten, baselineAsWritten, baselinePredictionsAsWritten]
            .compactMap { $0 }.map(PathGlob.literal)
    }

}
