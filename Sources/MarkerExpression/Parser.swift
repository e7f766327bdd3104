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
        try Parser.checkCompilable(result)
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
    //
    // pytest tests `str.isdigit()` and converts with `int()`, so any Unicode decimal digits
    // count (`٣` is 3); digits that are not decimal (`²`, `①`) pass `isdigit()` but make
    // `int()` raise, which crashes pytest. mlrun reports that as a syntax error at the value.
    private static func value(of token: Token) throws(ExpressionError) -> MarkerValue {
        let text = token.text
        let negative = text.unicodeScalars.first == "-"
        let digits = text.unicodeScalars.dropFirst(negative ? 1 : 0)
        if !digits.isEmpty, digits.allSatisfy({ $0.properties.numericType == .decimal || $0.properties.numericType == .digit }) {
            guard digits.allSatisfy({ $0.properties.numericType == .decimal }) else {
                throw ExpressionError(column: token.offset + 1, message: "invalid literal for int() with base 10: '\(text)'")
            }
            var number = 0
            for digit in digits {
                let (shifted, overflow) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit.properties.numericValue ?? 0))
                guard !overflow, !overflow2 else {
                    throw ExpressionError(column: token.offset + 1, message: "integer out of range \(text)")
                }
                number = sum
            }
            return .int(negative ? -number : number)
        }
        switch text {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: throw ExpressionError(column: token.offset + 1, message: "unexpected character/s \"\(text)\"")
        }
    }

    // What Python's `compile()` of pytest's AST rejects, after the whole input has parsed:
    // in each call, in source order, a keyword named `__debug__` ("cannot assign to
    // __debug__") or a keyword given twice ("keyword argument repeated: NAME", naming the
    // first keyword that has a later twin). pytest's AST nodes carry no real positions, so
    // Python reports these at column 1.
    static func checkCompilable(_ expression: MatchExpression) throws(ExpressionError) {
        switch expression {
        case .constant: return
        case .identifier(_, let kwargs):
            guard let kwargs else { return }
            for (index, (name, _)) in kwargs.enumerated() {
                if name == "__debug__" {
                    throw ExpressionError(column: 1, message: "cannot assign to __debug__")
                }
                // Python compares code points; Swift's `==` on String would also equate
                // canonically equivalent spellings.
                if kwargs[(index + 1)...].contains(where: { $0.0.unicodeScalars.elementsEqual(name.unicodeScalars) }) {
                    throw ExpressionError(column: 1, message: "keyword argument repeated: \(name)")
                }
            }
        case .not(let inner):
            try checkCompilable(inner)
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            try checkCompilable(lhs)
            try checkCompilable(rhs)
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

    /// `str.isidentifier()`: an `XID_Start` scalar or `_`, then `XID_Continue` scalars.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return text.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue }
    }
}
