/// A metric's value, or why it has none.
///
/// scikit-learn leaves some metrics undefined on some inputs (ROC AUC with one class present,
/// precision with no positive prediction, R² of a constant target…): it raises, warns and
/// returns 0 or NaN. mlrun reports such a case as `.undefined` with the reason, so a gate on
/// it is an `error` that says why, never a silent 0.
public enum MetricValue: Sendable, Equatable, CustomStringConvertible {
    case value(Double)
    case undefined(String)

    /// The number, or nil when undefined.
    public var number: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .undefined(let why): return "undefined (\(why))"
        }
    }
}
