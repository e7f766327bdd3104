/// Why a `Classification` or `Regression` could not be built from its arrays.
///
/// These are shape and domain errors of the input itself (arrays of different lengths, a label
/// outside the declared classes, a NaN score): scikit-learn raises `ValueError` on each of them
/// before computing anything. Inputs that are well-formed but leave one metric undefined (one
/// class only, no predicted positives…) are not errors: that metric returns
/// `Computed<Double>.undefined` and the others still compute.
package enum MetricInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` has `count` rows where `expected` were needed (the length of `yTrue`).
    case lengthMismatch(field: String, count: Int, expected: Int)
    /// Row `row` of `field` holds `label`, which is not among the declared classes.
    case unknownLabel(field: String, row: Int, label: Int)
    /// The declared classes are not strictly increasing at `index` (sklearn's label order is sorted).
    case classesNotIncreasing(index: Int)
    /// The probability matrix has `columns` columns for `classes` declared classes.
    case columnCountMismatch(columns: Int, classes: Int)
    /// Row `row` of a nested probability array has `count` entries where `expected` were needed.
    case raggedRow(row: Int, count: Int, expected: Int)
    /// A probability matrix needs at least two columns; it had `columns`.
    case tooFewColumns(columns: Int)
    /// Row `row` of `field` is NaN or infinite (sklearn's `assert_all_finite` rejects it).
    case nonFinite(field: String, row: Int)

    /// The error as one sentence naming the field and row.
    package var description: String {
        switch self {
        case .lengthMismatch(let field, let count, let expected):
            return "\(field) has \(count) rows; expected \(expected), as many as yTrue"
        case .unknownLabel(let field, let row, let label):
            return "\(field)[\(row)] is \(label), which is not one of the declared classes"
        case .classesNotIncreasing(let index):
            return "classes must be strictly increasing; classes[\(index)] is not greater than classes[\(index - 1)]"
        case .columnCountMismatch(let columns, let classes):
            return "the probability matrix has \(columns) columns for \(classes) classes"
        case .raggedRow(let row, let count, let expected):
            return "probability row \(row) has \(count) entries; expected \(expected)"
        case .tooFewColumns(let columns):
            return "a probability matrix needs at least 2 columns; got \(columns)"
        case .nonFinite(let field, let row):
            return "\(field)[\(row)] is not a finite number"
        }
    }
}
