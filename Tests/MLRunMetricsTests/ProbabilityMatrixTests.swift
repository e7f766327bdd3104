import MLRunMetrics
import Testing

@Suite struct ProbabilityMatrixTests {
    @Test func nestedRowsAreStoredRowMajor() throws {
        let m = try ProbabilityMatrix(rows: [[0.2, 0.8], [0.6, 0.4], [1, 0]])
        #expect(m.rows == 3)
        #expect(m.columns == 2)
        #expect(m.values == [0.2, 0.8, 0.6, 0.4, 1, 0])
        #expect(m[1, 0] == 0.6)
    }

    @Test func malformedShapesAreErrorsThatSayWhere() {
        #expect(throws: MetricInputError.raggedRow(row: 1, count: 3, expected: 2)) {
            try ProbabilityMatrix(rows: [[0.2, 0.8], [0.1, 0.1, 0.8]])
        }
        #expect(throws: MetricInputError.tooFewColumns(columns: 1)) { try ProbabilityMatrix(values: [1, 1], columns: 1) }
        #expect(throws: MetricInputError.raggedRow(row: 1, count: 1, expected: 2)) {
            try ProbabilityMatrix(values: [0.5, 0.5, 1], columns: 2)
        }
        #expect(throws: MetricInputError.nonFinite(field: "scores", row: 1)) {
            try ProbabilityMatrix(values: [0.5, 0.5, .nan, 1], columns: 2)
        }
        #expect(throws: Never.self) { try ProbabilityMatrix(rows: [], columns: 3) }
    }
}
