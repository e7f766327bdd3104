/// Splits an expression into tokens, with the same rules as pytest 9.2's scanner.
///
/// - Spaces and tabs separate tokens.
/// - `(`, `)`, `=`, `,` are tokens of their own.
/// - `'…'` and `"…"` are string literals, without escapes: a backslash inside one is an error
///   at the backslash's column. (pytest 9.0 refused a backslash anywhere in the input once a
///   string literal was read; 9.2 refuses only those inside the literal.)
/// - An identifier is a run of word characters, `:`, `+`, `-`, `.`, `[`, `]`, `\` and `/`;
///   the identifiers `or`, `and` and `not` are operators.
///
/// Positions are counted in Unicode scalars, as Python counts a `str`'s code points, so the
/// columns of errors are pytest's even for combining marks, `\r\n` or emoji.
struct Lexer {
    private let scalars: [Unicode.Scalar]

    init(_ input: String) {
        scalars = Array(input.unicodeScalars)
    }

    /// The tokens of the input: all of them, ending with `endOfInput`, or those before the
    /// first lexical error, with that error.
    ///
    /// pytest lexes lazily, so a lexical error surfaces only when the parser moves onto the
    /// bad token; the parser replays that order with `error`.
    func tokens() -> (tokens: [Token], error: ExpressionError?) {
        var tokens: [Token] = []
        do throws(ExpressionError) {
            try scan(into: &tokens)
            return (tokens, nil)
        } catch {
            return (tokens, error)
        }
    }

    private func text(_ range: Range<Int>) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[range])
        return String(text)
    }

    private func scan(into tokens: inout [Token]) throws(ExpressionError) {
        var position = 0
        while position < scalars.count {
            let scalar = scalars[position]
            switch scalar {
            case " ", "\t":
                position += 1
            case "(":
                tokens.append(Token(kind: .leftParenthesis, text: "(", offset: position))
                position += 1
            case ")":
                tokens.append(Token(kind: .rightParenthesis, text: ")", offset: position))
                position += 1
            case "=":
                tokens.append(Token(kind: .equal, text: "=", offset: position))
                position += 1
            case ",":
                tokens.append(Token(kind: .comma, text: ",", offset: position))
                position += 1
            case "'", "\"":
                guard let end = scalars[(position + 1)...].firstIndex(of: scalar) else {
                    throw ExpressionError(column: position + 1, message: "closing quote \"\(scalar)\" is missing")
                }
                if let backslash = scalars[position...end].firstIndex(of: "\\") {
                    throw ExpressionError(column: backslash + 1, message: "escaping with \"\\\" not supported in marker expression")
                }
                tokens.append(Token(kind: .string, text: text(position..<(end + 1)), offset: position))
                position = end + 1
            default:
                var end = position
                while end < scalars.count, Lexer.isIdentifierCharacter(scalars[end]) { end += 1 }
                guard end > position else {
                    throw ExpressionError(column: position + 1, message: "unexpected character \"\(scalar)\"")
                }
                let text = text(position..<end)
                let kind: Token.Kind
                switch text {
                case "or": kind = .or
                case "and": kind = .and
                case "not": kind = .not
                default: kind = .identifier
                }
                tokens.append(Token(kind: kind, text: text, offset: position))
                position = end
            }
        }
        tokens.append(Token(kind: .endOfInput, text: "", offset: scalars.count))
    }

    /// Python's `\w` on a `str` (a letter, Unicode categories L&/Lm/Lo, or anything with a
    /// numeric type, or `_`) plus `:+-.[]\/`.
    static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ":", "+", "-", ".", "[", "]", "\\", "/", "_": return true
        default:
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                return true
            default:
                return scalar.properties.numericType != nil
            }
        }
    }
}
