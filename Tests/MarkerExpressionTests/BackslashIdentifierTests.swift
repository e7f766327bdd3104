// `\` in marker expressions, as pytest 9.2.0 reads them: an identifier character anywhere,
// refused only inside a string literal (9.0 refused it anywhere once a string was read).
//
// Every token, column, message and selection below was produced by pytest 9.2.0 itself
// (`ParseCase` and `ErrorCase` are MatchExpressionTests'):
//     from _pytest.mark.expression import Expression, Scanner
//     list(Scanner(s).tokens)          # lexing (after Scanner(s).current)
//     Expression.compile(s)            # SyntaxError: .offset, .msg
//     Expression.compile(s).evaluate(MarkMatcher.from_markers(marks))

import Testing

@testable import MarkerExpression

struct BackslashLexCase: Sendable, CustomTestStringConvertible {
    var input: String
    var tokens: [Token]
    init(_ input: String, _ tokens: [(Token.Kind, String, Int)]) {
        self.input = input
        self.tokens = tokens.map { Token(kind: $0.0, text: $0.1, offset: $0.2) }
    }
    var testDescription: String { String(reflecting: input) }
}

/// Which of the named tests an expression selects.
struct BackslashSelectionCase: Sendable, CustomTestStringConvertible {
    var input: String
    var selected: Set<String>
    init(_ input: String, _ selected: Set<String>) {
        self.input = input
        self.selected = selected
    }
    var testDescription: String { String(reflecting: input) }
}

/// pytest's `MarkMatcher`: a name holds when a marker has it and, for a call, every given
/// keyword argument equals that marker's.
private struct Markers: Matcher {
    var markers: [(name: String, kwargs: [String: MarkerValue])]
    func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool {
        markers.contains { marker in marker.name == name && kwargs.allSatisfy { marker.kwargs[$0.0] == $0.1 } }
    }
}

private func ident(_ name: String) -> MatchExpression { .identifier(name, kwargs: nil) }

private let escaping = "escaping with \"\\\" not supported in marker expression"

@Suite("`\\` in identifiers (pytest 9.2)")
struct BackslashIdentifierTests {
    @Test(
        "lexing: `\\` is an identifier character, also first, last, alone and next to keywords",
        arguments: [
            BackslashLexCase(
                #"\nfoo\n and mark(x="y")"#,
                [
                    (.identifier, #"\nfoo\n"#, 0), (.and, "and", 8), (.identifier, "mark", 12), (.leftParenthesis, "(", 16),
                    (.identifier, "x", 17), (.equal, "=", 18), (.string, #""y""#, 19), (.rightParenthesis, ")", 22), (.endOfInput, "", 23),
                ]),
            BackslashLexCase(#"\"#, [(.identifier, #"\"#, 0), (.endOfInput, "", 1)]),
            BackslashLexCase(#"\\"#, [(.identifier, #"\\"#, 0), (.endOfInput, "", 2)]),
            BackslashLexCase(
                #"a\b or x(y='z')"#,
                [
                    (.identifier, #"a\b"#, 0), (.or, "or", 4), (.identifier, "x", 7), (.leftParenthesis, "(", 8),
                    (.identifier, "y", 9), (.equal, "=", 10), (.string, "'z'", 11), (.rightParenthesis, ")", 14), (.endOfInput, "", 15),
                ]),
            BackslashLexCase(#"not\ or \and"#, [(.identifier, #"not\"#, 0), (.or, "or", 5), (.identifier, #"\and"#, 8), (.endOfInput, "", 12)]),
            BackslashLexCase(#"\or\ not"#, [(.identifier, #"\or\"#, 0), (.not, "not", 5), (.endOfInput, "", 8)]),
            BackslashLexCase(
                #"x(y='z')\ "#,
                [
                    (.identifier, "x", 0), (.leftParenthesis, "(", 1), (.identifier, "y", 2), (.equal, "=", 3), (.string, "'z'", 4),
                    (.rightParenthesis, ")", 7), (.identifier, #"\"#, 8), (.endOfInput, "", 10),
                ]),
            BackslashLexCase(#"C:\dir\file.py::test[a\b]"#, [(.identifier, #"C:\dir\file.py::test[a\b]"#, 0), (.endOfInput, "", 25)]),
        ])
    func lexing(_ test: BackslashLexCase) {
        let (tokens, error) = Lexer(test.input).tokens()
        #expect(error == nil)
        #expect(tokens == test.tokens)
    }

    @Test(
        "parsing: names with `\\`, beside string literals too",
        arguments: [
            ParseCase(#"\nfoo\n and mark(x="y")"#, .and(ident(#"\nfoo\n"#), .identifier("mark", kwargs: [("x", .string("y"))]))),
            ParseCase(#"a\b or x(y='z')"#, .or(ident(#"a\b"#), .identifier("x", kwargs: [("y", .string("z"))]))),
            ParseCase(#"x(y='z') or a\b"#, .or(.identifier("x", kwargs: [("y", .string("z"))]), ident(#"a\b"#))),
            ParseCase(#"not\ or \and"#, .or(ident(#"not\"#), ident(#"\and"#))),
            ParseCase(#"not \"#, .not(ident(#"\"#))),
            ParseCase(#"(\)"#, ident(#"\"#)),
            ParseCase(#"\(x=2)"#, .identifier(#"\"#, kwargs: [("x", .int(2))])),
            ParseCase(#"\nfoo\n\ or a/b"#, .or(ident(#"\nfoo\n\"#), ident("a/b"))),
        ])
    func parsing(_ test: ParseCase) throws {
        #expect(try MatchExpression.parse(test.input) == test.tree)
    }

    @Test(
        "evaluation: a name with `\\` matches exactly that marker",
        arguments: [
            BackslashSelectionCase(#"\nfoo\n and mark(x="y")"#, ["both"]),
            BackslashSelectionCase(#"\nfoo\n"#, ["both", "foo"]),
            BackslashSelectionCase("nfoo", ["other"]),
            BackslashSelectionCase(#"\nfoo\n and not mark(x="y")"#, ["foo"]),
            BackslashSelectionCase(#"mark(x='y') and not \nfoo\n"#, ["other"]),
            BackslashSelectionCase(#"\"#, ["backslashes"]),
            BackslashSelectionCase(#"a\b"#, ["backslashes"]),
            BackslashSelectionCase(#"a\\b"#, []),
            BackslashSelectionCase(#"\nfoo\n or \ "#, ["both", "foo", "backslashes"]),
            BackslashSelectionCase(#"\nfoo\n\ or a/b"#, []),
            BackslashSelectionCase(#"not\ "#, []),
        ])
    func evaluation(_ test: BackslashSelectionCase) throws {
        let tests: [String: Markers] = [
            "both": Markers(markers: [(#"\nfoo\n"#, [:]), ("mark", ["x": .string("y")])]),
            "foo": Markers(markers: [(#"\nfoo\n"#, [:])]),
            "other": Markers(markers: [("mark", ["x": .string("y")]), ("nfoo", [:])]),
            "backslashes": Markers(markers: [(#"\"#, [:]), (#"a\b"#, [:])]),
        ]
        let expression = try MatchExpression.parse(test.input)
        #expect(Set(tests.filter { expression.evaluate($0.value) }.keys) == test.selected)
    }

    @Test(
        "errors: a backslash inside a string literal, at its column; elsewhere the usual errors",
        arguments: [
            ErrorCase(#"x(y='a\b')"#, 7, escaping),
            ErrorCase(#"\nfoo\n and mark(x="y\")"#, 22, escaping),
            ErrorCase(#"a\b or x(y='\')"#, 13, escaping),
            ErrorCase(#"device(serial='1\') or a"#, 17, escaping),
            ErrorCase(#"'\'"#, 2, escaping),
            ErrorCase(#"foo(a="\\")"#, 8, escaping),
            ErrorCase(#"a\ and x(y='\n')"#, 13, escaping),
            ErrorCase(#"x(y='ok', z='a\b')"#, 15, escaping),
            ErrorCase(#"'a\' or \ )"#, 3, escaping),
            // pytest lexes lazily: the parse error comes before the string is read.
            ErrorCase(#"a b\ 'x\'"#, 3, "expected end of input; got identifier"),
            ErrorCase(#"\ $"#, 3, "unexpected character \"$\""),
            ErrorCase(#"\ 'x"#, 3, "closing quote \"'\" is missing"),
            ErrorCase(#"\("#, 3, "expected identifier; got end of input"),
            ErrorCase(#"not \ and"#, 10, "expected not OR left parenthesis OR identifier; got end of input"),
            // A keyword name or value with `\` lexes as an identifier, and is refused as pytest refuses it.
            ErrorCase(#"x(\=1)"#, 3, #"not a valid python identifier \"#),
            ErrorCase(#"x(a\b=1)"#, 3, #"not a valid python identifier a\b"#),
            ErrorCase(#"x(y=\)"#, 5, #"unexpected character/s "\""#),
            ErrorCase(#"x(y=\1)"#, 5, #"unexpected character/s "\1""#),
        ])
    func errors(_ test: ErrorCase) {
        do throws(ExpressionError) {
            let parsed = try MatchExpression.parse(test.input)
            Issue.record("expected an error, parsed \(parsed)")
        } catch {
            #expect(error.column == test.column, "column")
            #expect(error.message == test.message)
        }
    }
}
