/// A syntax error in a marker or keyword expression, with the 1-based column it was found at.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based column of the offending character or token, as pytest reports it.
    public var column: Int
    /// What is wrong, e.g. `expected not OR left parenthesis OR identifier; got end of input`.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "at column \(column): \(message)" }
}
