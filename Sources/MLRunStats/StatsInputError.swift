/// Why a statistic could not read its input.
///
/// These are errors of the input itself, which a data loader is expected to have cleaned: NaN
/// (dropping missing values is the caller's job, so that every statistic sees the same rows), an
/// infinity where the statistic does arithmetic on values, a negative count, an invalid p-value.
/// Well-formed input that leaves a statistic undefined is ``Computed/undefined(_:)`` instead.
package enum StatsInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which of the two samples a value came from.
    package enum Sample: String, Sendable {
        /// The baseline sample drift is measured against.
        case reference
        /// The sample being checked for drift.
        case current
    }

    /// `sample[index]` is NaN.
    case notANumber(sample: Sample, index: Int)
    /// `sample[index]` is ±infinity, and the statistic needs finite values (KS does not).
    case infinite(sample: Sample, index: Int)
    /// Category `category` has a negative count in `sample`.
    case negativeCount(sample: Sample, category: String, count: Int)
    /// Category names and counts arrays have different lengths.
    case lengthMismatch(field: String, count: Int, expected: Int)
    /// A category name occurs twice.
    case duplicateCategory(String)
    /// `pValues[index]` is NaN or outside [0, 1].
    case invalidPValue(index: Int, value: Double)
    /// The significance level is not in (0, 1).
    case invalidAlpha(Double)

    /// The error as one sentence naming the sample and position.
    package var description: String {
        switch self {
        case .notANumber(let sample, let index):
            return "\(sample.rawValue)[\(index)] is NaN; drop missing values before computing drift statistics"
        case .infinite(let sample, let index):
            return "\(sample.rawValue)[\(index)] is infinite; this statistic needs finite values"
        case .negativeCount(let sample, let category, let count):
            return "category \"\(category)\" has a negative count \(count) in the \(sample.rawValue) sample"
        case .lengthMismatch(let field, let count, let expected):
            return "\(field) has \(count) entries; expected \(expected), one per category"
        case .duplicateCategory(let name):
            return "category \"\(name)\" is listed twice"
        case .invalidPValue(let index, let value):
            return "pValues[\(index)] is \(value), not a probability in [0, 1]"
        case .invalidAlpha(let alpha):
            return "alpha is \(alpha); it must lie strictly between 0 and 1"
        }
    }

    /// Throws for the first NaN (and, when `finite`, the first infinity) in `values`.
    static func check(_ values: [Double], _ sample: Sample, finite: Bool) throws(StatsInputError) {
        for (index, x) in values.enumerated() where !x.isFinite {
            if x.isNaN { throw .notANumber(sample: sample, index: index) }
            if finite { throw .infinite(sample: sample, index: index) }
        }
    }
}
