// Errors of the -m / -k expression grammar, checked against what pytest 9 reports.
//
// Every error column and message below was produced by pytest itself:
//     from _pytest.mark.expression import Expression
//     Expression.compile(s)   # SyntaxError: .offset, .msg

import MarkerExpression
import Testing

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: String
    var column: Int
    var message: String
    init(_ input: String, _ column: Int, _ message: String) {
        self.input = input
        self.column = column
        self.message = message
    }
    var testDescription: String { String(reflecting: input) }
}

@Suite("MatchExpression errors, as pytest reports them")
struct ErrorTests {
    static let notOperand = "expected not OR left parenthesis OR identifier"

    @Test(
        "parse errors",
        arguments: [
            ErrorCase("(", 2, "\(notOperand); got end of input"),
            ErrorCase(")", 1, "\(notOperand); got right parenthesis"),
            ErrorCase("not", 4, "\(notOperand); got end of input"),
            ErrorCase("not not", 8, "\(notOperand); got end of input"),
            ErrorCase("and", 1, "\(notOperand); got and"),
            ErrorCase("or", 1, "\(notOperand); got or"),
            ErrorCase("a and", 6, "\(notOperand); got end of input"),
            ErrorCase("a or", 5, "\(notOperand); got end of input"),
            ErrorCase("a and or", 7, "\(notOperand); got or"),
            ErrorCase("a or and", 6, "\(notOperand); got and"),
            ErrorCase("a b", 3, "expected end of input; got identifier"),
            ErrorCase("a not b", 3, "expected end of input; got not"),
            ErrorCase("NOT a", 5, "expected end of input; got identifier"),
            ErrorCase("a AND b", 3, "expected end of input; got identifier"),
            ErrorCase("((a)", 5, "expected right parenthesis; got end of input"),
            ErrorCase("(a))", 4, "expected end of input; got right parenthesis"),
            ErrorCase("a)", 2, "expected end of input; got right parenthesis"),
            ErrorCase("()", 2, "\(notOperand); got right parenthesis"),
            ErrorCase("a ()", 4, "expected identifier; got right parenthesis"),
            ErrorCase("'a'", 1, "\(notOperand); got string literal"),
            ErrorCase("a and ''", 7, "\(notOperand); got string literal"),
            ErrorCase("a=", 2, "expected end of input; got ="),
            ErrorCase("a,b", 2, "expected end of input; got ,"),
            ErrorCase("= a", 1, "\(notOperand); got ="),
        ])
    func parseErrors(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "lexical errors; columns count Unicode scalars, as Python counts code points",
        arguments: [
            ErrorCase("$", 1, "unexpected character \"$\""),
            ErrorCase("a $ b", 3, "unexpected character \"$\""),
            ErrorCase("a and $", 7, "unexpected character \"$\""),
            ErrorCase("a @ b", 3, "unexpected character \"@\""),
            ErrorCase("a & b", 3, "unexpected character \"&\""),
            ErrorCase("a | b", 3, "unexpected character \"|\""),
            ErrorCase("!a", 1, "unexpected character \"!\""),
            ErrorCase("a\nb", 2, "unexpected character \"\n\""),
            ErrorCase("a\r\nb", 2, "unexpected character \"\r\""),
            ErrorCase("a\u{00A0}b", 2, "unexpected character \"\u{00A0}\""),
            ErrorCase("e\u{0301} x", 2, "unexpected character \"\u{0301}\""),
            ErrorCase("😀", 1, "unexpected character \"😀\""),
            ErrorCase("a 😀", 3, "unexpected character \"😀\""),
        ])
    func lexicalErrors(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "pytest lexes lazily: an error in the tokens is reported only when the parser reaches it",
        arguments: [
            // The parser fails at "or" before the scanner ever reads "$".
            ErrorCase("a and or $", 7, "\(notOperand); got or"),
            ErrorCase("a b $", 3, "expected end of input; got identifier"),
            // The scanner reads one token ahead: the bad token right after a good one fails first.
            ErrorCase("a 'x", 3, "closing quote \"'\" is missing"),
            ErrorCase("$ and 'x", 1, "unexpected character \"$\""),
            ErrorCase("'x and $", 1, "closing quote \"'\" is missing"),
            // A backslash is fine in an identifier, before or after a string literal (pytest 9.2).
            ErrorCase("a\\b and (", 10, "\(notOperand); got end of input"),
        ])
    func lazyLexing(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "string literals: unclosed quotes, and a backslash inside one",
        arguments: [
            ErrorCase("'", 1, "closing quote \"'\" is missing"),
            ErrorCase("\"", 1, "closing quote \"\"\" is missing"),
            ErrorCase("a and 'x", 7, "closing quote \"'\" is missing"),
            ErrorCase("foo(a='x)", 7, "closing quote \"'\" is missing"),
            ErrorCase("foo(a=\"x')", 7, "closing quote \"\"\" is missing"),
            ErrorCase("\\ 'x", 3, "closing quote \"'\" is missing"),
            ErrorCase("x(y='a\\b')", 7, "escaping with \"\\\" not supported in marker expression"),
        ])
    func stringLiterals(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "keyword argument syntax",
        arguments: [
            ErrorCase("foo()", 5, "expected identifier; got right parenthesis"),
            ErrorCase("foo(", 5, "expected identifier; got end of input"),
            ErrorCase("foo(a", 6, "expected =; got end of input"),
            ErrorCase("foo(a=", 7, "expected identifier; got end of input"),
            ErrorCase("foo(a=1", 8, "expected right parenthesis; got end of input"),
            ErrorCase("foo(a=1,)", 9, "expected identifier; got right parenthesis"),
            ErrorCase("foo(a=1 b=2)", 9, "expected right parenthesis; got identifier"),
            ErrorCase("foo(a==1)", 7, "expected identifier; got ="),
            ErrorCase("foo(=1)", 5, "expected identifier; got ="),
            ErrorCase("foo(a=1)(b=2)", 9, "expected end of input; got left parenthesis"),
            ErrorCase("foo(,)", 5, "expected identifier; got ,"),
            ErrorCase("foo((a=1))", 5, "expected identifier; got left parenthesis"),
            ErrorCase("foo(a=(1))", 7, "expected identifier; got left parenthesis"),
        ])
    func keywordArgumentSyntax(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "keyword argument names must be Python identifiers that are not reserved words",
        arguments: [
            ErrorCase("foo(1a=2)", 5, "not a valid python identifier 1a"),
            ErrorCase("foo(a.b=1)", 5, "not a valid python identifier a.b"),
            ErrorCase("foo(a-b=1)", 5, "not a valid python identifier a-b"),
            ErrorCase("foo(a²=1)", 5, "not a valid python identifier a²"),
            ErrorCase("foo(if=1)", 5, "unexpected reserved python keyword `if`"),
            ErrorCase("foo(class=1)", 5, "unexpected reserved python keyword `class`"),
            ErrorCase("foo(None=1)", 5, "unexpected reserved python keyword `None`"),
            ErrorCase("foo(True=1)", 5, "unexpected reserved python keyword `True`"),
            ErrorCase("foo(not=1)", 5, "expected identifier; got not"),
            ErrorCase("foo(a=1, in=2)", 10, "unexpected reserved python keyword `in`"),
        ])
    func keywordArgumentNames(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "keyword argument values",
        arguments: [
            ErrorCase("foo(a=b)", 7, "unexpected character/s \"b\""),
            ErrorCase("foo(a=true)", 7, "unexpected character/s \"true\""),
            ErrorCase("foo(a=none)", 7, "unexpected character/s \"none\""),
            ErrorCase("foo(a=-)", 7, "unexpected character/s \"-\""),
            ErrorCase("foo(a=--1)", 7, "unexpected character/s \"--1\""),
            ErrorCase("foo(a=+1)", 7, "unexpected character/s \"+1\""),
            ErrorCase("foo(a=1.5)", 7, "unexpected character/s \"1.5\""),
            ErrorCase("foo(a=1_000)", 7, "unexpected character/s \"1_000\""),
            ErrorCase("foo(a=0x10)", 7, "unexpected character/s \"0x10\""),
            ErrorCase("foo(a=not)", 7, "expected identifier; got not"),
        ])
    func keywordArgumentValues(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "what Python's compile() rejects after parsing: repeated keywords and __debug__, at column 1",
        arguments: [
            ErrorCase("foo(a=1, a=2)", 1, "keyword argument repeated: a"),
            ErrorCase("foo(a=1,b=1,b=2,a=2)", 1, "keyword argument repeated: a"),
            ErrorCase("x(b=1,b=2) or y(a=1,a=2)", 1, "keyword argument repeated: b"),
            ErrorCase("not foo(a='x', a='x')", 1, "keyword argument repeated: a"),
            ErrorCase("foo(__debug__=1)", 1, "cannot assign to __debug__"),
            ErrorCase("foo(a=1,__debug__=2,a=3)", 1, "keyword argument repeated: a"),
            ErrorCase("foo(__debug__=1,a=2,a=3)", 1, "cannot assign to __debug__"),
            // Any parse error comes first.
            ErrorCase("foo(a=1, a=2) or (", 19, "\(notOperand); got end of input"),
        ])
    func compileErrors(_ test: ErrorCase) {
        expectError(test)
    }

    @Test(
        "where pytest crashes or Python has big integers, mlrun reports a syntax error",
        arguments: [
            // pytest: ValueError from int(), an internal error.
            ErrorCase("foo(a=①)", 7, "invalid literal for int() with base 10: '①'"),
            ErrorCase("foo(a=²)", 7, "invalid literal for int() with base 10: '²'"),
            // Python accepts any size; mlrun's integers are 64-bit.
            ErrorCase("foo(a=99999999999999999999)", 7, "integer out of range 99999999999999999999"),
        ])
    func mlrunOnlyErrors(_ test: ErrorCase) {
        expectError(test)
    }

    @Test("an error describes itself as pytest's 'at column N: message'")
    func errorDescription() {
        #expect(ExpressionError(column: 3, message: "boom").description == "at column 3: boom")
    }

    private func expectError(_ test: ErrorCase, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(ExpressionError) {
            let parsed = try MatchExpression.parse(test.input)
            Issue.record("expected an error, parsed \(parsed)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.column == test.column, "column", sourceLocation: sourceLocation)
            #expect(error.message == test.message, sourceLocation: sourceLocation)
        }
    }
}
