/// A recursive-descent parser over pytest's expression grammar (see `MatchExpression`).
struct Parser {
    private let tokens: [Token]
    private let lexicalError: ExpressionError?
    private var index = 0

    /// Starts on the first token; throws the lexical error if there is no first token.
    init(input: String) throws(ExpressionError) {
        (tokens, lexicalError) = Lexer(input).tokens()
        if tokens.isEmpty, let lexicalError { throw lexicalError }
    }

    private var current: Token { tokens[index] }

    /// Consumes the current token if it is of `kind`.
    private mutating func accept(_ kind: Token.Kind) throws(ExpressionError) -> Token? {
        guard current.kind == kind else { return nil }
        let token = current
        if kind != .endOfInput {
            index += 1
            if index == tokens.count, let lexicalError { throw lexicalError }
        }
        return token
    }

    /// Consumes a token of `kind` or throws "expected KIND; got ACTUAL".
    private mutating func expect(_ kind: Token.Kind) throws(ExpressionError) -> Token {
        guard let token = try accept(kind) else { throw rejection([kind]) }
        return token
    }

    private func rejection(_ expected: [Token.Kind]) -> ExpressionError {
        ExpressionError(
            column: current.offset + 1,
            message: "expected \(expected.map(\.rawValue).joined(separator: " OR ")); got \(current.kind.rawValue)"
        )
    }

    // expression: expr? EOF
    mutating func expression() throws(ExpressionError) -> MatchExpression {
        if try accept(.endOfInput) != nil { return .constant(false) }
        let result = try expr()
        _ = try expect(.endOfInput)
        return result
    }

    // expr: and_expr ('or' and_expr)*
    private mutating func expr() throws(ExpressionError) -> MatchExpression {
        var result = try andExpr()
        while try accept(.or) != nil {
            result = .or(result, try andExpr())
        }
        return result
    }

    // and_expr: not_expr ('and' not_expr)*
    private mutating func andExpr() throws(ExpressionError) -> MatchExpression {
        var result = try notExpr()
        while try accept(.and) != nil {
            result = .and(result, try notExpr())
        }
        return result
    }

    // not_expr: 'not' not_expr | '(' expr ')' | ident kwargs?
    private mutating func notExpr() throws(ExpressionError) -> MatchExpression {
        if try accept(.not) != nil { return .not(try notExpr()) }
        if try accept(.leftParenthesis) != nil {
            let result = try expr()
            _ = try expect(.rightParenthesis)
            return result
        }
        if let identifier = try accept(.identifier) {
            if try accept(.leftParenthesis) != nil {
                let kwargs = try allKwargs()
                _ = try expect(.rightParenthesis)
                return .identifier(identifier.text, kwargs: kwargs)
            }
            return .identifier(identifier.text, kwargs: nil)
        }
        throw rejection([.not, .leftParenthesis, .identifier])
    }

    // kwargs: name '=' value (',' name '=' value)*
    private mutating func allKwargs() throws(ExpressionError) -> [(String, MarkerValue)] {
        var result = [try singleKwarg()]
        while try accept(.comma) != nil {
            result.append(try singleKwarg())
        }
        return result
    }

    private mutating func singleKwarg() throws(ExpressionError) -> (String, MarkerValue) {
        let name = try expect(.identifier)
        guard PythonIdentifier.isIdentifier(name.text) else {
            throw ExpressionError(column: name.offset + 1, message: "not a valid python identifier \(name.text)")
        }
        guard !PythonIdentifier.isKeyword(name.text) else {
            throw ExpressionError(column: name.offset + 1, message: "unexpected reserved python keyword `\(name.text)`")
        }
        _ = try expect(.equal)
        if let string = try accept(.string) {
            return (name.text, .string(String(string.text.dropFirst().dropLast())))
        }
        let value = try expect(.identifier)
        return (name.text, try Parser.value(of: value))
    }

    // value: -?[0-9]+ | True | False | None (string literals are handled by the caller)
    private static func value(of token: Token) throws(ExpressionError) -> MarkerValue {
        let text = token.text
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = Int(text) else {
                throw ExpressionError(column: token.offset + 1, message: "integer out of range \(text)")
            }
            return .int(number)
        }
        switch text {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: throw ExpressionError(column: token.offset + 1, message: "unexpected character/s \"\(text)\"")
        }
    }
}

/// Python's rules for identifiers and reserved words, as pytest applies them to keyword names.
enum PythonIdentifier {
    /// Python 3's hard keywords (`keyword.kwlist`).
    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield",
    ]

    static func isKeyword(_ text: String) -> Bool { keywords.contains(text) }

    /// `str.isidentifier()`: a letter or underscore, then letters, digits or underscores.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || first.isLetter else { return false }
        return text.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
