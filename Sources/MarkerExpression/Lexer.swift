/// Splits an expression into tokens, with the same rules as pytest's scanner.
///
/// - Spaces and tabs separate tokens.
/// - `(`, `)`, `=`, `,` are tokens of their own.
/// - `'…'` and `"…"` are string literals, without escapes; a backslash anywhere in the input
///   is an error once a string literal is read (pytest reports the first backslash's column).
/// - An identifier is a run of word characters, `:`, `+`, `-`, `.`, `[`, `]`, `\` and `/`;
///   the identifiers `or`, `and` and `not` are operators.
struct Lexer {
    private let characters: [Character]

    init(_ input: String) {
        characters = Array(input)
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

    private func scan(into tokens: inout [Token]) throws(ExpressionError) {
        var position = 0
        while position < characters.count {
            let character = characters[position]
            switch character {
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
                guard let end = characters[(position + 1)...].firstIndex(of: character) else {
                    throw ExpressionError(column: position + 1, message: "closing quote \"\(character)\" is missing")
                }
                if let backslash = characters.firstIndex(of: "\\") {
                    throw ExpressionError(column: backslash + 1, message: "escaping with \"\\\" not supported in marker expression")
                }
                tokens.append(Token(kind: .string, text: String(characters[position...end]), offset: position))
                position = end + 1
            default:
                var end = position
                while end < characters.count, Lexer.isIdentifierCharacter(characters[end]) { end += 1 }
                guard end > position else {
                    throw ExpressionError(column: position + 1, message: "unexpected character \"\(character)\"")
                }
                let text = String(characters[position..<end])
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
        tokens.append(Token(kind: .endOfInput, text: "", offset: characters.count))
    }

    /// Python's `\w` (letters, digits, underscore, in Unicode) plus `:+-.[]\/`.
    static func isIdentifierCharacter(_ character: Character) -> Bool {
        switch character {
        case ":", "+", "-", ".", "[", "]", "\\", "/", "_": return true
        default: return character.isLetter || character.isNumber
        }
    }
}
