/// A computed value, or why there is none on this input.
///
/// Well-formed input can leave a metric, a statistic or a paired test undefined: ROC AUC with
/// one class present, precision with no positive prediction, an empty sample, a reference with
/// zero spread where a statistic divides by it, zero variance of an AUC difference. scikit-learn
/// and SciPy raise, warn, or return 0 or NaN there; mlrun returns `.undefined` with a sentence
/// saying why, so a gate on it is an error that says why, never a crash and never a silent 0.
/// Malformed input (a NaN, arrays of different lengths) is a thrown error instead.
package enum Computed<Value: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible {
    /// The computed value.
    case value(Value)
    /// There is no value on this input; the sentence says why.
    case undefined(String)

    /// The value, or nil when undefined.
    package var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// Why there is no value, or nil when there is one.
    package var undefinedReason: String? {
        if case .undefined(let why) = self { return why }
        return nil
    }

    /// The outcome with `transform` applied to its value; an undefined one stays as it is.
    package func map<Other: Sendable & Equatable>(_ transform: (Value) -> Other) -> Computed<Other> {
        switch self {
        case .value(let v): return .value(transform(v))
        case .undefined(let why): return .undefined(why)
        }
    }

    /// The value as Swift prints it, or `undefined (the reason)`.
    package var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .undefined(let why): return "undefined (\(why))"
        }
    }
}
