/// A value a marker keyword argument can hold: a string, an integer, a boolean or null.
///
/// Values compare by type and value, so `1` never equals `true` (pytest compares with
/// Python's `==`, where `1 == True`; mlrun is deliberately stricter, see the README).
public enum MarkerValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    /// The value as it would be written in a marker expression (`'a'`, `2`, `True`, `None`).
    public var description: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        }
    }
}
