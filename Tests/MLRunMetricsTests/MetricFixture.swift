import Foundation
import MLRunMetrics
import Testing

/// Fixtures/metrics.json, written by scripts/fixtures/make_metric_fixtures.py: inputs and what
/// scikit-learn and fairlearn give on them.
struct MetricFixture: Decodable, Sendable {
    /// One metric's expected outcome: a value, or undefined with what the library did.
    struct Expected: Decodable, Sendable {
        let value: Double?
        let undefined: String?
    }

    struct ClassificationCase: Decodable, Sendable {
        let name: String
        let description: String
        let yTrue: [Int]
        let yPred: [Int]
        let classes: [Int]
        let positiveLabel: Int
        let scores: [Double]?
        let proba: [Double]?
        let groups: [String]?
        let confusionMatrix: [[Int]]
        let expected: [String: Expected]

        enum CodingKeys: String, CodingKey {
            case name, description, classes, scores, proba, groups, expected
            case yTrue = "y_true", yPred = "y_pred", positiveLabel = "positive_label", confusionMatrix = "confusion_matrix"
        }

        /// The case as mlrun's input.
        func classification() throws -> Classification {
            let scoreInput: Classification.Scores?
            if let proba {
                scoreInput = .perClass(try ProbabilityMatrix(values: proba, columns: classes.count))
            } else {
                scoreInput = scores.map { .positiveClass($0) }
            }
            return try Classification(
                yTrue: yTrue, yPred: yPred, scores: scoreInput, classes: classes,
                positiveLabel: positiveLabel, groups: groups)
        }
    }

    struct RegressionCase: Decodable, Sendable {
        let name: String
        let yTrue: [Double]
        let yPred: [Double]
        let expected: [String: Expected]

        enum CodingKeys: String, CodingKey {
            case name, expected
            case yTrue = "y_true", yPred = "y_pred"
        }
    }

    let versions: [String: String]
    let calibrationEdges: [Double]
    let logLossEps: Double
    let classification: [ClassificationCase]
    let regression: [RegressionCase]

    enum CodingKeys: String, CodingKey {
        case versions, classification, regression
        case calibrationEdges = "calibration_edges", logLossEps = "log_loss_eps"
    }

    /// The fixture, read once.
    static func load() throws -> MetricFixture {
        guard let url = Bundle.module.url(forResource: "metrics", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(MetricFixture.self, from: Data(contentsOf: url))
    }

    /// True when `got` is within 1e-9 of `expected`: absolute for |expected| ≤ 1, relative above
    /// (MAPE on a zero target is ~1e15, log_loss on a clipped 0 is 36).
    static func agrees(_ got: Double, _ expected: Double) -> Bool {
        abs(got - expected) <= 1e-9 * max(1, abs(expected))
    }
}

/// One metric of one fixture case: the unit of the sklearn agreement tests.
struct MetricCheck: Sendable, CustomTestStringConvertible {
    let caseName: String
    let metric: String
    let expected: MetricFixture.Expected

    var testDescription: String { "\(caseName): \(metric)" }

    static func classification() throws -> [MetricCheck] {
        try MetricFixture.load().classification.flatMap { c in
            c.expected.sorted { $0.key < $1.key }.map { MetricCheck(caseName: c.name, metric: $0.key, expected: $0.value) }
        }
    }

    static func regression() throws -> [MetricCheck] {
        try MetricFixture.load().regression.flatMap { c in
            c.expected.sorted { $0.key < $1.key }.map { MetricCheck(caseName: c.name, metric: $0.key, expected: $0.value) }
        }
    }
}
