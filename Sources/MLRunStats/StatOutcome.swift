/// A statistic's value, or why it has none on this input.
///
/// Well-formed input can still leave a statistic undefined: an empty sample, a reference with
/// zero spread where a statistic divides by it, a contingency table with one category. Those are
/// `.undefined` with a sentence saying why, never a crash and never a silent 0. Malformed input
/// (a NaN, a negative count) is a thrown ``StatsInputError`` instead.
public enum StatOutcome<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The statistic's value.
    case value(Value)
    /// The statistic has no value on this input; the sentence says why.
    case undefined(String)

    /// The result, or nil when undefined.
    public var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// Why the statistic is undefined, or nil when it has a value.
    public var undefinedReason: String? {
        if case .undefined(let why) = self { return why }
        return nil
    }

    /// The outcome with `transform` applied to its value; an undefined outcome stays as it is.
    public func map<Other: Sendable & Equatable>(_ transform: (Value) -> Other) -> StatOutcome<Other> {
        switch self {
        case .value(let v): return .value(transform(v))
        case .undefined(let why): return .undefined(why)
        }
    }
}

/// A two-sample test whose size of effect the drift plugin reports next to its p-value.
///
/// The drift plugin gates on `pValue` (after a multiple-testing correction across columns) and
/// shows `effectSize` so a reader can tell a tiny but significant shift on millions of rows from
/// a large one: D for Kolmogorov–Smirnov, Cramér's V for the chi-square test.
public protocol DriftTest: Sendable {
    /// The test's p-value under "both samples come from one distribution".
    var pValue: Double { get }
    /// A size of the difference that does not grow with the sample sizes.
    var effectSize: Double { get }
}
