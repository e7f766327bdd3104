/// The confusion matrix of a classification and its margins, from which every label metric
/// (accuracy, precision, recall, f1, MCC, balanced accuracy) is read in O(k²).
struct LabelCounts {
    /// The number of classes.
    let k: Int
    /// Row-major k × k: entry (t, p) counts rows with true class t predicted as p.
    let matrix: [Int]
    /// Row sums: how many rows truly belong to each class (sklearn's `support`, `true_sum`).
    let trueTotals: [Int]
    /// Column sums: how many rows were predicted as each class (sklearn's `pred_sum`).
    let predTotals: [Int]
    /// All rows.
    let total: Int

    init(trueIndex: [Int32], predIndex: [Int32], k: Int) {
        var matrix = [Int](repeating: 0, count: k * k)
        trueIndex.withUnsafeBufferPointer { t in
            predIndex.withUnsafeBufferPointer { p in
                matrix.withUnsafeMutableBufferPointer { m in
                    for i in 0..<t.count { m[Int(t[i]) &* k &+ Int(p[i])] &+= 1 }
                }
            }
        }
        var trueTotals = [Int](repeating: 0, count: k)
        var predTotals = [Int](repeating: 0, count: k)
        for t in 0..<k {
            for p in 0..<k {
                trueTotals[t] += matrix[t * k + p]
                predTotals[p] += matrix[t * k + p]
            }
        }
        self.k = k
        self.matrix = matrix
        self.trueTotals = trueTotals
        self.predTotals = predTotals
        self.total = trueIndex.count
    }

    /// Rows of class `c` predicted as `c`.
    func truePositives(_ c: Int) -> Int { matrix[c * k + c] }

    /// Rows predicted correctly: the trace.
    var correct: Int { (0..<k).reduce(0) { $0 + matrix[$1 * k + $1] } }

    /// The classes that occur in the true or the predicted labels (sklearn's `present_labels`).
    var presentClasses: [Int] { (0..<k).filter { trueTotals[$0] > 0 || predTotals[$0] > 0 } }
}

extension Classification {
    /// The confusion matrix, rows the true class and columns the predicted one, both in
    /// `classes` order: sklearn's `confusion_matrix(y_true, y_pred, labels=classes)`.
    ///
    /// Empty input gives a k × k matrix of zeros, as sklearn does when `labels` is given.
    /// Returns nil when there are no predicted labels.
    package func confusionMatrix() -> [[Int]]? {
        guard let counts = labelCounts() else { return nil }
        return (0..<counts.k).map { t in Array(counts.matrix[t * counts.k..<(t + 1) * counts.k]) }
    }

    /// The confusion counts, or nil without predicted labels.
    func labelCounts() -> LabelCounts? {
        guard let predIndex else { return nil }
        return LabelCounts(trueIndex: trueIndex, predIndex: predIndex, k: classes.count)
    }

    /// The reason a label metric cannot be computed at all, or nil when it can.
    var labelMetricObstacle: String? {
        if predIndex == nil { return "no predicted labels (yPred) were given" }
        if count == 0 { return "empty input (sklearn raises on empty arrays)" }
        return nil
    }

    /// The label names of the given class indices, for messages.
    func labelList(_ indices: [Int]) -> String {
        indices.map { String(classes[$0]) }.joined(separator: ", ")
    }
}
