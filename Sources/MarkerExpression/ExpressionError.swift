/// A syntax error in a marker or keyword expression, with the 1-based column it was found at.
package struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based column of the offending character or token, as pytest reports it.
    package var column: Int
    /// What is wrong, e.g. `expected not OR left parenthesis OR identifier; got end of input`.
    package var message: String

    package init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    package var description: String { "at column \(column): \(message)" }
}
