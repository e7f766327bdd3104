/// A classifier's predictions beside the true labels: the input of every classification,
/// calibration and fairness metric.
///
/// Labels are `Int`s: class indices (0, 1, 2…) or any other integer codes. What is stored:
///
/// - `classes`: the label set, sorted, in the role of sklearn's `labels=` argument. Every label
///   of `yTrue` and `yPred` must be one of them. When not given, it is `0..<k` for a `k`-column
///   probability matrix (columns are class indices), otherwise the sorted distinct labels of
///   `yTrue` and `yPred` (sklearn's `unique_labels`). Averaged metrics (`precision_macro`…)
///   run over all of `classes`, so a declared class that never occurs makes a per-class ratio
///   0/0 and the average undefined, as sklearn's `labels=` does (it warns and counts it as 0).
/// - `positiveLabel`: the class that binary metrics (precision, recall, f1, roc_auc,
///   average_precision, brier, log_loss on a score vector, calibration, fairness) treat as
///   positive, sklearn's `pos_label`. It need not occur in the data.
/// - `scores`: either the positive class's score per row (`.positiveClass`, sklearn's 1-D
///   `y_score`/`y_prob`) or a probability matrix whose columns follow `classes`
///   (`.perClass`, `predict_proba`). Binary metrics given a 2-column matrix read the positive
///   label's column, as sklearn's scorers do with `predict_proba`.
/// - `groups`: one sensitive-feature value per row, for the fairness metrics (fairlearn's
///   `sensitive_features`).
///
/// `yPred` and `scores` are both optional: a metric that needs the missing one returns
/// `.undefined`. Building the value checks shapes once; the labels are stored as class
/// indices so that every metric is one pass over compact arrays.
package struct Classification: Sendable {
    /// Per-row scores of a classifier.
    package enum Scores: Sendable, Equatable {
        /// The score of `positiveLabel` per row: a probability for log_loss, brier and
        /// calibration, any finite score (a decision function) for roc_auc and
        /// average_precision. sklearn's 1-D `y_score`.
        case positiveClass([Double])
        /// One probability per class per row, columns in `classes` order: `predict_proba`.
        case perClass(ProbabilityMatrix)
    }

    /// The label set, strictly increasing; column `j` of a probability matrix is `classes[j]`.
    package let classes: [Int]
    /// The label binary metrics count as positive (sklearn's `pos_label`).
    package let positiveLabel: Int
    /// The scores, if any.
    package let scores: Scores?
    /// The distinct sensitive-feature values, in order of first appearance.
    package let groupNames: [String]

    /// `yTrue` as indices into `classes`.
    let trueIndex: [Int32]
    /// `yPred` as indices into `classes`, if given.
    let predIndex: [Int32]?
    /// `groups` as indices into `groupNames`, if given.
    let groupIndex: [Int32]?
    /// The index of `positiveLabel` in `classes`, or nil when it is not a declared class.
    let positiveIndex: Int?
    /// Sorted scores, made by the first ranking metric and reused by the others.
    let rankings = RankingCache()

    /// The number of rows.
    package var count: Int { trueIndex.count }

    /// The true labels.
    package var yTrue: [Int] { trueIndex.map { classes[Int($0)] } }

    /// The predicted labels, if given.
    package var yPred: [Int]? { predIndex.map { $0.map { classes[Int($0)] } } }

    /// The sensitive-feature value of each row, if given.
    package var groups: [String]? { groupIndex.map { $0.map { groupNames[Int($0)] } } }

    /// Predictions over `yTrue`; see the type's documentation for each argument's role.
    ///
    /// - Throws: `MetricInputError` when an array's length differs from `yTrue`'s, a label is
    ///   not in `classes`, `classes` is not strictly increasing, a score is not finite, or a
    ///   probability matrix has not one column per class. Empty input is not an error: every
    ///   metric of it is undefined (sklearn raises on empty arrays).
    package init(
        yTrue: [Int],
        yPred: [Int]? = nil,
        scores: Scores? = nil,
        classes: [Int]? = nil,
        positiveLabel: Int = 1,
        groups: [String]? = nil
    ) throws(MetricInputError) {
        try self.init(
            yTrue: yTrue, yPred: yPred, scores: scores, classes: classes, positiveLabel: positiveLabel,
            groupInput: groups.map { .names($0) })
    }

    /// Group membership already dictionary-encoded: row i belongs to `names[codes[i]]`. What a
    /// loader that reads a column as codes has; it saves building one string per row.
    package struct GroupCodes: Sendable {
        package var codes: [Int32]
        package var names: [String]
        package init(codes: [Int32], names: [String]) {
            self.codes = codes
            self.names = names
        }
    }

    /// The same as ``init(yTrue:yPred:scores:classes:positiveLabel:groups:)`` with the groups
    /// given as codes. Every code must index `groupCodes.names`.
    package init(
        yTrue: [Int],
        yPred: [Int]? = nil,
        scores: Scores? = nil,
        classes: [Int]? = nil,
        positiveLabel: Int = 1,
        groupCodes: GroupCodes
    ) throws(MetricInputError) {
        try self.init(
            yTrue: yTrue, yPred: yPred, scores: scores, classes: classes, positiveLabel: positiveLabel,
            groupInput: .codes(groupCodes))
    }

    private enum GroupInput {
        case names([String])
        case codes(GroupCodes)
        var count: Int {
            switch self {
            case .names(let names): return names.count
            case .codes(let codes): return codes.codes.count
            }
        }
    }

    private init(
        yTrue: [Int], yPred: [Int]?, scores: Scores?, classes: [Int]?, positiveLabel: Int, groupInput: GroupInput?
    ) throws(MetricInputError) {
        let n = yTrue.count
        if let yPred, yPred.count != n { throw .lengthMismatch(field: "yPred", count: yPred.count, expected: n) }
        if let groupInput, groupInput.count != n { throw .lengthMismatch(field: "groups", count: groupInput.count, expected: n) }
        switch scores {
        case .positiveClass(let s)?:
            if s.count != n { throw .lengthMismatch(field: "scores", count: s.count, expected: n) }
            if let bad = s.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(field: "scores", row: bad) }
        case .perClass(let m)?:
            if m.rows != n { throw .lengthMismatch(field: "scores", count: m.rows, expected: n) }
        case nil:
            break
        }

        let labelSet: [Int]
        if let classes {
            for i in classes.indices.dropFirst() where classes[i] <= classes[i - 1] {
                throw .classesNotIncreasing(index: i)
            }
            labelSet = classes
        } else if case .perClass(let m)? = scores {
            labelSet = Array(0..<m.columns)
        } else {
            labelSet = LabelEncoder.distinctSorted(yTrue, yPred ?? [])
        }
        if case .perClass(let m)? = scores, m.columns != labelSet.count {
            throw .columnCountMismatch(columns: m.columns, classes: labelSet.count)
        }

        let encoder = LabelEncoder(classes: labelSet)
        self.classes = labelSet
        self.positiveLabel = positiveLabel
        self.scores = scores
        self.positiveIndex = encoder.index(of: positiveLabel)
        self.trueIndex = try encoder.encode(yTrue, field: "yTrue")
        self.predIndex = try yPred.map { labels throws(MetricInputError) in try encoder.encode(labels, field: "yPred") }
        if case .codes(let given)? = groupInput {
            if let bad = given.codes.firstIndex(where: { $0 < 0 || Int($0) >= given.names.count }) {
                throw .unknownLabel(field: "groupCodes", row: bad, label: Int(given.codes[bad]))
            }
            self.groupNames = given.names
            self.groupIndex = given.codes
        } else if case .names(let groups)? = groupInput {
            var names: [String] = []
            var lookup: [String: Int32] = [:]
            var codes = [Int32](repeating: 0, count: n)
            for (row, name) in groups.enumerated() {
                if let code = lookup[name] {
                    codes[row] = code
                } else {
                    let code = Int32(names.count)
                    lookup[name] = code
                    names.append(name)
                    codes[row] = code
                }
            }
            self.groupNames = names
            self.groupIndex = codes
        } else {
            self.groupNames = []
            self.groupIndex = nil
        }
    }
}

/// Maps labels to their index in a sorted label set.
struct LabelEncoder {
    let classes: [Int]
    /// Whether `classes` is `first, first + 1, …`, so an index is a subtraction.
    let isContiguous: Bool

    init(classes: [Int]) {
        self.classes = classes
        self.isContiguous = classes.isEmpty || classes[classes.count - 1] - classes[0] == classes.count - 1
    }

    /// The index of `label` in `classes`, or nil.
    @inline(__always)
    func index(of label: Int) -> Int? {
        guard let first = classes.first else { return nil }
        if isContiguous {
            let i = label &- first
            return i >= 0 && i < classes.count ? i : nil
        }
        // Binary search: k is small, and this keeps arbitrary codes O(log k) per row.
        var low = 0, high = classes.count
        while low < high {
            let mid = (low + high) / 2
            if classes[mid] < label { low = mid + 1 } else { high = mid }
        }
        return low < classes.count && classes[low] == label ? low : nil
    }

    func encode(_ labels: [Int], field: String) throws(MetricInputError) -> [Int32] {
        var codes = [Int32](repeating: 0, count: labels.count)
        var badRow: Int? = nil
        labels.withUnsafeBufferPointer { src in
            codes.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count {
                    guard let index = index(of: src[i]) else { badRow = i; return }
                    dst[i] = Int32(truncatingIfNeeded: index)
                }
            }
        }
        if let row = badRow { throw .unknownLabel(field: field, row: row, label: labels[row]) }
        return codes
    }

    /// The sorted distinct values of both arrays (sklearn's `unique_labels`).
    static func distinctSorted(_ a: [Int], _ b: [Int]) -> [Int] {
        let bounds = [a.min(), a.max(), b.min(), b.max()].compactMap { $0 }
        guard let low = bounds.min(), let high = bounds.max() else { return [] }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        // A presence table when the labels span a small range (the usual class indices), else a set.
        guard !overflow, span < 1 << 20 else { return Set(a).union(b).sorted() }
        var seen = [Bool](repeating: false, count: span + 1)
        for label in a { seen[label - low] = true }
        for label in b { seen[label - low] = true }
        return seen.indices.filter { seen[$0] }.map { $0 + low }
    }
}
