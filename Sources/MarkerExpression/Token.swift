/// A lexical token of a marker or keyword expression.
struct Token: Equatable, Sendable {
    /// The kinds of token, with the human names used in error messages.
    enum Kind: String, Sendable {
        case leftParenthesis = "left parenthesis"
        case rightParenthesis = "right parenthesis"
        case or = "or"
        case and = "and"
        case not = "not"
        case identifier = "identifier"
        case endOfInput = "end of input"
        case equal = "="
        case string = "string literal"
        case comma = ","
    }

    var kind: Kind
    /// The token's text; for a string literal, including its quotes.
    var text: String
    /// 0-based offset of the token's first character in the input, counted in Unicode scalars
    /// (Python's code points).
    var offset: Int
}
