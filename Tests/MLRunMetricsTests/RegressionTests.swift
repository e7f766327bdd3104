import MLRunMetrics
import Testing

@Suite struct RegressionTests {
    @Test func malformedInputIsAnError() {
        #expect(throws: MetricInputError.lengthMismatch(field: "yPred", count: 1, expected: 2)) {
            try Regression(yTrue: [1, 2], yPred: [1])
        }
        #expect(throws: MetricInputError.nonFinite(field: "yPred", row: 0)) { try Regression(yTrue: [1], yPred: [.nan]) }
    }

    @Test func smallExample() throws {
        // sklearn's docstring: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8].
        let r = try Regression(yTrue: [3, -0.5, 2, 7], yPred: [2.5, 0.0, 2, 8])
        #expect(r.meanAbsoluteError() == .value(0.5))
        #expect(r.meanSquaredError() == .value(0.375))
        #expect(r.rootMeanSquaredError() == .value(0.375.squareRoot()))
        #expect(abs((r.r2().value ?? 0) - 0.9486081370449679) < 1e-15)
    }

    @Test func constantTargetsLeaveR2UndefinedWithSklearnsValueInTheReason() throws {
        guard case .undefined(let why) = try Regression(yTrue: [2, 2, 2], yPred: [2, 2, 2]).r2() else {
            Issue.record("expected undefined"); return
        }
        #expect(why.contains("constant"))
        #expect(try Regression(yTrue: [], yPred: []).meanAbsoluteError().value == nil)
    }
}
