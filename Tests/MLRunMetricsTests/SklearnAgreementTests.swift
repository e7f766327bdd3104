import Foundation
import Testing

@testable import MLRunMetrics

/// Every metric against scikit-learn 1.9 / fairlearn 0.15 on the committed fixture: values to
/// 1e-9 (absolute up to 1, relative above), and undefined exactly where the fixture says.
@Suite struct SklearnAgreementTests {
    static let fixture = Result { try MetricFixture.load() }

    @Test func fixtureRecordsLibraryVersions() throws {
        let fixture = try Self.fixture.get()
        #expect(fixture.versions["scikit-learn"]?.hasPrefix("1.") == true)
        #expect(fixture.versions["fairlearn"] != nil)
        #expect(fixture.classification.count >= 15)
    }

    @Test(arguments: try MetricCheck.classification())
    func classificationMetric(_ check: MetricCheck) throws {
        let fixture = try Self.fixture.get()
        let input = try #require(fixture.classification.first { $0.name == check.caseName }).classification()
        let name = try #require(MetricName(rawValue: check.metric), "no MetricName \(check.metric)")
        try Self.compare(name.evaluate(input), check)
    }

    @Test(arguments: try MetricCheck.regression())
    func regressionMetric(_ check: MetricCheck) throws {
        let fixture = try Self.fixture.get()
        let c = try #require(fixture.regression.first { $0.name == check.caseName })
        let name = try #require(MetricName(rawValue: check.metric), "no MetricName \(check.metric)")
        try Self.compare(name.evaluate(try Regression(yTrue: c.yTrue, yPred: c.yPred)), check)
    }

    static func compare(_ got: Computed<Double>, _ check: MetricCheck) throws {
        switch (got, check.expected.value) {
        case (.value(let v), let expected?):
            #expect(MetricFixture.agrees(v, expected), "\(check.testDescription): mlrun \(v), sklearn \(expected)")
        case (.undefined(let why), nil):
            #expect(!why.isEmpty)
        case (.value(let v), nil):
            Issue.record("\(check.testDescription): mlrun gives \(v); expected undefined (\(check.expected.undefined ?? ""))")
        case (.undefined(let why), let expected?):
            Issue.record("\(check.testDescription): mlrun says undefined (\(why)); sklearn gives \(expected)")
        }
    }

    @Test func confusionMatricesEqualSklearns() throws {
        for c in try Self.fixture.get().classification {
            #expect(try c.classification().confusionMatrix() == c.confusionMatrix, "\(c.name)")
        }
    }

    @Test func everyMetricNameIsCheckedWithAValue() throws {
        let fixture = try Self.fixture.get()
        var withValue = Set<String>(), withUndefined = Set<String>()
        for expected in fixture.classification.map(\.expected) + fixture.regression.map(\.expected) {
            for (name, outcome) in expected {
                if outcome.value != nil { withValue.insert(name) } else { withUndefined.insert(name) }
            }
        }
        for name in MetricName.allCases {
            #expect(withValue.contains(name.rawValue), "\(name.rawValue) is never compared with a value")
        }
        // Each metric that sklearn can leave undefined has an undefined case too.
        for name in [
            "roc_auc", "roc_auc_ovr", "average_precision", "precision", "recall", "f1", "precision_macro",
            "recall_weighted", "matthews_corrcoef", "r2", "log_loss", "demographic_parity_ratio",
            "equalized_odds_difference", "equal_opportunity_difference", "accuracy", "mae",
        ] {
            #expect(withUndefined.contains(name), "\(name) has no undefined case")
        }
    }

    @Test func calibrationEdgesAreNumpysLinspace() throws {
        #expect(CalibrationBins.edges == (try Self.fixture.get().calibrationEdges))
    }

    @Test func logLossEpsilonIsFloat64MachineEpsilon() throws {
        #expect(Classification.logLossEpsilon == (try Self.fixture.get().logLossEps))
    }
}
