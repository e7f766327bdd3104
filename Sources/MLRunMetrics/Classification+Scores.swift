/// One score per row, read in place from a score vector or from one column of a row-major
/// probability matrix.
struct ScoreColumn {
    let values: [Double]
    let stride: Int
    let offset: Int

    /// Runs `body` over a buffer in which row `i`'s score is at `offset + i * stride`.
    func withBuffer<R>(_ body: (UnsafeBufferPointer<Double>, _ stride: Int, _ offset: Int) -> R) -> R {
        values.withUnsafeBufferPointer { body($0, stride, offset) }
    }

    /// The first row whose score lies outside [0, 1], if any.
    func firstRowOutsideUnitInterval() -> Int? {
        withBuffer { s, stride, offset in
            for i in 0..<(s.count / stride) where !(s[offset + i * stride] >= 0 && s[offset + i * stride] <= 1) {
                return i
            }
            return nil
        }
    }
}

extension Classification {
    /// Fails on empty input, which sklearn rejects in every metric.
    func requireRows() throws(UndefinedReason) {
        guard count > 0 else { throw UndefinedReason("empty input (sklearn raises on empty arrays)") }
    }

    /// The positive label's score per row: the score vector, or the positive label's column of
    /// a 2-column probability matrix (what sklearn's scorers take from `predict_proba`).
    func positiveScoreColumn() throws(UndefinedReason) -> ScoreColumn {
        switch scores {
        case nil:
            throw UndefinedReason("no scores were given")
        case .positiveClass(let s)?:
            return ScoreColumn(values: s, stride: 1, offset: 0)
        case .perClass(let m)?:
            guard m.columns == 2 else {
                throw UndefinedReason(
                    "the scores are a \(m.columns)-class probability matrix; this metric is binary "
                        + "and needs the positive class's score")
            }
            guard let positiveIndex else {
                throw UndefinedReason("the positive label \(positiveLabel) is not one of the classes (\(labelList(Array(classes.indices))))")
            }
            return ScoreColumn(values: m.values, stride: 2, offset: positiveIndex)
        }
    }

    /// The probability matrix, for the multiclass score metrics.
    func probabilityMatrix() throws(UndefinedReason) -> ProbabilityMatrix {
        switch scores {
        case nil: throw UndefinedReason("no scores were given")
        case .positiveClass?: throw UndefinedReason("the scores are one per row; this metric needs a probability per class")
        case .perClass(let m)?: return m
        }
    }

    /// How many rows of `yTrue` belong to each class.
    func trueClassCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classes.count)
        trueIndex.withUnsafeBufferPointer { t in
            counts.withUnsafeMutableBufferPointer { c in
                for label in t { c[Int(label)] &+= 1 }
            }
        }
        return counts
    }

    /// Requires `yTrue` to be binary (at most two labels, sklearn's `type_of_target` "binary");
    /// returns the number of positive rows and of labels present.
    func binaryTruth(metric: String) throws(UndefinedReason) -> (positives: Int, labelsPresent: Int) {
        let counts = trueClassCounts()
        let present = counts.indices.filter { counts[$0] > 0 }
        guard present.count <= 2 else {
            throw UndefinedReason("yTrue holds \(present.count) labels (\(labelList(present))); \(metric) is binary")
        }
        return (positiveIndex.map { counts[$0] } ?? 0, present.count)
    }

    /// Fails when any score is outside [0, 1], which sklearn's probability metrics reject.
    func requireProbabilities(_ column: ScoreColumn) throws(UndefinedReason) {
        if let row = column.firstRowOutsideUnitInterval() {
            let value = column.values[column.offset + row * column.stride]
            throw UndefinedReason("score \(value) at row \(row) is not a probability in [0, 1] (sklearn raises)")
        }
    }
}
