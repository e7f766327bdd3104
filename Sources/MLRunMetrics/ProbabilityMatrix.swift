/// Per-class probabilities, one row per sample, stored row-major: sklearn's `predict_proba` output.
///
/// Column `j` belongs to `Classification.classes[j]`, as sklearn's columns follow the sorted
/// `classes_` of the estimator. The matrix only checks its shape and that every entry is finite;
/// whether rows are probabilities (in [0, 1], summing to 1) is up to each metric, as in sklearn:
/// `roc_auc_ovr` refuses rows that do not sum to 1, `log_loss` takes them as they are.
package struct ProbabilityMatrix: Sendable, Equatable {
    /// The entries, row after row: entry (row `i`, column `j`) is `values[i * columns + j]`.
    package let values: [Double]
    /// The number of columns, one per class.
    package let columns: Int

    /// The number of rows, one per sample.
    package var rows: Int { values.count / columns }

    /// A matrix over row-major `values` with `columns` columns.
    ///
    /// - Throws: `MetricInputError.tooFewColumns` for fewer than 2 columns,
    ///   `.raggedRow` when `values.count` is not a multiple of `columns`,
    ///   `.nonFinite` for a NaN or infinite entry (its row is reported).
    package init(values: [Double], columns: Int) throws(MetricInputError) {
        guard columns >= 2 else { throw .tooFewColumns(columns: columns) }
        guard values.count % columns == 0 else {
            throw .raggedRow(row: values.count / columns, count: values.count % columns, expected: columns)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite(field: "scores", row: bad / columns)
        }
        self.values = values
        self.columns = columns
    }

    /// A matrix from one array per row; every row must have the first row's length.
    ///
    /// An empty `rows` needs `columns` to say how wide the matrix is.
    package init(rows: [[Double]], columns: Int? = nil) throws(MetricInputError) {
        let width = columns ?? rows.first?.count ?? 0
        var flat: [Double] = []
        flat.reserveCapacity(rows.count * width)
        for (index, row) in rows.enumerated() {
            guard row.count == width else { throw .raggedRow(row: index, count: row.count, expected: width) }
            flat.append(contentsOf: row)
        }
        try self.init(values: flat, columns: width)
    }

    /// The entry at `row`, `column`.
    package subscript(row: Int, column: Int) -> Double {
        values[row * columns + column]
    }
}
