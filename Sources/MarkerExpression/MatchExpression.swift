/// A compiled `-m` or `-k` expression.
///
/// The grammar is pytest 9.2's, one parsing function per rule in `Parser`:
///
/// ```
/// expression: expr? EOF
/// expr:       and_expr ('or' and_expr)*
/// and_expr:   not_expr ('and' not_expr)*
/// not_expr:   'not' not_expr | '(' expr ')' | ident kwargs?
/// ident:      (\w|:|\+|-|\.|\[|\]|\\|/)+
/// kwargs:     '(' name '=' value (',' name '=' value)* ')'
/// name:       a Python identifier that is not a reserved word
/// value:      string literal (no escapes) | -?[0-9]+ | True | False | None
/// ```
///
/// The empty expression is false. An identifier is true or false as a `Matcher` decides.
///
/// Like pytest, which hands its AST to Python's `compile()`, a parsed expression is then
/// rejected at column 1 when a call repeats a keyword (`keyword argument repeated: a`) or
/// names `__debug__`. Columns count Unicode scalars (Python's code points).
package indirect enum MatchExpression: Equatable, Sendable {
    case constant(Bool)
    case identifier(String, kwargs: [(String, MarkerValue)]?)
    case not(MatchExpression)
    case and(MatchExpression, MatchExpression)
    case or(MatchExpression, MatchExpression)

    /// Parses an expression, throwing an error with the 1-based column of the problem.
    package static func parse(_ input: String) throws(ExpressionError) -> MatchExpression {
        var parser = try Parser(input: input)
        return try parser.expression()
    }

    /// Evaluates the expression, asking `matcher` about each identifier.
    package func evaluate(_ matcher: some Matcher) -> Bool {
        switch self {
        case .constant(let value): return value
        case .identifier(let name, let kwargs): return matcher.matches(name, kwargs: kwargs ?? [])
        case .not(let inner): return !inner.evaluate(matcher)
        case .and(let lhs, let rhs): return lhs.evaluate(matcher) && rhs.evaluate(matcher)
        case .or(let lhs, let rhs): return lhs.evaluate(matcher) || rhs.evaluate(matcher)
        }
    }

    /// Every identifier the expression names, with whether it was given keyword arguments.
    package var identifiers: [(name: String, hasKwargs: Bool)] {
        switch self {
        case .constant: return []
        case .identifier(let name, let kwargs): return [(name, kwargs != nil)]
        case .not(let inner): return inner.identifiers
        case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.identifiers + rhs.identifiers
        }
    }

    package static func == (lhs: MatchExpression, rhs: MatchExpression) -> Bool {
        switch (lhs, rhs) {
        case let (.constant(a), .constant(b)): return a == b
        case let (.identifier(a, ka), .identifier(b, kb)):
            guard a == b else { return false }
            switch (ka, kb) {
            case (nil, nil): return true
            case let (x?, y?): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        case let (.not(a), .not(b)): return a == b
        case let (.and(a1, a2), .and(b1, b2)), let (.or(a1, a2), .or(b1, b2)): return a1 == b1 && a2 == b2
        default: return false
        }
    }
}

/// Decides whether an identifier of an expression holds for one test.
package protocol Matcher {
    /// Whether `name` (with keyword arguments, empty when none were written) holds.
    func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool
}
