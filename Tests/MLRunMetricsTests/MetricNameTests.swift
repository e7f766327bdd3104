import MLRunMetrics
import Testing

@Suite struct MetricNameTests {
    @Test func everyNameLooksItselfUp() {
        for name in MetricName.allCases {
            #expect(MetricName.metric(named: name.rawValue) == name)
        }
        #expect(MetricName.metric(named: "neg_log_loss") == nil)
        #expect(MetricName.allCases.count == 34)
    }

    @Test(arguments: [
        ("accuracy", MetricName.Direction.higherIsBetter), ("f1_weighted", .higherIsBetter), ("roc_auc_ovr", .higherIsBetter),
        ("matthews_corrcoef", .higherIsBetter), ("r2", .higherIsBetter), ("demographic_parity_ratio", .higherIsBetter),
        ("log_loss", .lowerIsBetter), ("brier", .lowerIsBetter), ("ece", .lowerIsBetter), ("max_calibration_error", .lowerIsBetter),
        ("mae", .lowerIsBetter), ("mse", .lowerIsBetter), ("rmse", .lowerIsBetter), ("mape", .lowerIsBetter),
        ("demographic_parity_difference", .lowerIsBetter), ("equalized_odds_difference", .lowerIsBetter),
        ("equal_opportunity_difference", .lowerIsBetter), ("prediction_classes", .neither), ("positive_rate", .neither),
    ])
    func directions(name: String, direction: MetricName.Direction) throws {
        let metric = try #require(MetricName.metric(named: name))
        #expect(metric.direction == direction)
        #expect(metric.higherIsBetter == (direction == .neither ? nil : direction == .higherIsBetter))
    }

    @Test func aMetricOfTheOtherKindIsUndefinedNotACrash() throws {
        let classification = try Classification(yTrue: [0, 1], yPred: [0, 1])
        let regression = try Regression(yTrue: [0, 1], yPred: [0, 1])
        for name in MetricName.allCases {
            switch name.inputKind {
            case .classification: #expect(name.evaluate(regression).value == nil)
            case .regression: #expect(name.evaluate(classification).value == nil)
            }
        }
    }
}
