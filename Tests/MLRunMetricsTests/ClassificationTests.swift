import Testing

@testable import MLRunMetrics

@Suite struct ClassificationTests {
    @Test func classesDefaultToTheSortedLabelsOrToTheMatrixColumns() throws {
        #expect(try Classification(yTrue: [7, -1, 3], yPred: [3, 3, 9]).classes == [-1, 3, 7, 9])
        let matrix = try ProbabilityMatrix(rows: [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
        #expect(try Classification(yTrue: [2, 2], scores: .perClass(matrix)).classes == [0, 1, 2])
        #expect(try Classification(yTrue: []).classes == [])
    }

    @Test func labelsRoundTripThroughTheirClassIndices() throws {
        let c = try Classification(yTrue: [7, -1, 3], yPred: [3, 3, 7], classes: [-1, 3, 7], groups: ["a", "b", "a"])
        #expect(c.yTrue == [7, -1, 3])
        #expect(c.yPred == [3, 3, 7])
        #expect(c.groups == ["a", "b", "a"])
        #expect(c.groupNames == ["a", "b"])
        // Rows: true -1 → predicted 3, true 3 → 7, true 7 → 3; in classes order -1, 3, 7.
        #expect(c.confusionMatrix() == [[0, 1, 0], [0, 0, 1], [0, 1, 0]])
    }

    @Test func malformedInputIsAnErrorThatSaysWhere() {
        #expect(throws: MetricInputError.lengthMismatch(field: "yPred", count: 1, expected: 2)) {
            try Classification(yTrue: [0, 1], yPred: [0])
        }
        #expect(throws: MetricInputError.lengthMismatch(field: "groups", count: 3, expected: 2)) {
            try Classification(yTrue: [0, 1], groups: ["a", "b", "c"])
        }
        #expect(throws: MetricInputError.lengthMismatch(field: "scores", count: 1, expected: 2)) {
            try Classification(yTrue: [0, 1], scores: .positiveClass([0.5]))
        }
        #expect(throws: MetricInputError.unknownLabel(field: "yPred", row: 1, label: 5)) {
            try Classification(yTrue: [0, 1], yPred: [0, 5], classes: [0, 1])
        }
        #expect(throws: MetricInputError.classesNotIncreasing(index: 2)) {
            try Classification(yTrue: [0], classes: [0, 2, 1])
        }
        #expect(throws: MetricInputError.nonFinite(field: "scores", row: 1)) {
            try Classification(yTrue: [0, 1], scores: .positiveClass([0.5, .infinity]))
        }
        #expect(throws: MetricInputError.columnCountMismatch(columns: 2, classes: 3)) {
            try Classification(yTrue: [0, 1], scores: .perClass(ProbabilityMatrix(rows: [[0.5, 0.5], [0.5, 0.5]])), classes: [0, 1, 2])
        }
    }

    @Test func metricsWithoutTheirInputSayWhatIsMissing() throws {
        let noPredictions = try Classification(yTrue: [0, 1], scores: .positiveClass([0.2, 0.8]))
        #expect(noPredictions.accuracy() == .undefined("no predicted labels (yPred) were given"))
        #expect(noPredictions.f1(average: .macro) == .undefined("no predicted labels (yPred) were given"))
        #expect(noPredictions.rocAUC() == .value(1))
        #expect(noPredictions.confusionMatrix() == nil)

        let noScores = try Classification(yTrue: [0, 1], yPred: [0, 1])
        #expect(noScores.rocAUC() == .undefined("no scores were given"))
        #expect(noScores.logLoss() == .undefined("no scores were given"))
        #expect(noScores.accuracy() == .value(1))
        #expect(noScores.demographicParityDifference() == .undefined("no sensitive feature (groups) was given"))
    }

    @Test func aTwoColumnMatrixServesBinaryMetricsThroughThePositiveColumn() throws {
        let matrix = try ProbabilityMatrix(rows: [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8]])
        let viaMatrix = try Classification(yTrue: [0, 1, 0, 1], scores: .perClass(matrix))
        let viaVector = try Classification(yTrue: [0, 1, 0, 1], scores: .positiveClass([0.1, 0.7, 0.4, 0.8]))
        #expect(viaMatrix.rocAUC() == viaVector.rocAUC())
        #expect(viaMatrix.brier() == viaVector.brier())
        #expect(viaMatrix.averagePrecision() == viaVector.averagePrecision())
        // With positiveLabel 0 the other column is read: P(0) ranks the 0s first.
        let zeroPositive = try Classification(yTrue: [0, 1, 0, 1], scores: .perClass(matrix), positiveLabel: 0)
        #expect(zeroPositive.rocAUC() == .value(1))
    }

    @Test func rocAUCOnlyFromBinaryTruth() throws {
        let oneClass = try Classification(yTrue: [1, 1, 1], scores: .positiveClass([0.1, 0.5, 0.9]))
        guard case .undefined(let why) = oneClass.rocAUC() else { Issue.record("expected undefined"); return }
        #expect(why.contains("only one class"))
        let threeClasses = try Classification(yTrue: [0, 1, 2], scores: .positiveClass([0.1, 0.5, 0.9]))
        guard case .undefined(let why3) = threeClasses.rocAUC() else { Issue.record("expected undefined"); return }
        #expect(why3.contains("roc_auc_ovr"))
    }

    @Test func logLossNamesTheRowAndColumnOfAnImpossibleProbability() throws {
        let matrix = try ProbabilityMatrix(rows: [[0.5, 0.5], [1.2, -0.2]])
        guard case .undefined(let why) = try Classification(yTrue: [0, 1], scores: .perClass(matrix)).logLoss() else {
            Issue.record("expected undefined"); return
        }
        #expect(why.contains("row 1, column 0"))
    }
}
