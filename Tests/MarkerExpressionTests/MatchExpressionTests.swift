// The -m / -k expression grammar, checked against what pytest 9 does.
//
// Every error column and message below was produced by pytest itself:
//     from _pytest.mark.expression import Expression
//     Expression.compile(s)   # SyntaxError: .offset, .msg

import MarkerExpression
import Testing

// MARK: - Helpers

private func id(_ name: String) -> MatchExpression { .identifier(name, kwargs: nil) }
private func call(_ name: String, _ kwargs: [(String, MarkerValue)]) -> MatchExpression { .identifier(name, kwargs: kwargs) }

/// True for exactly the names it holds, whatever the keyword arguments.
private struct NameSet: Matcher {
    var names: Set<String>
    func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool { names.contains(name) }
}

/// Parses, or fails the test with pytest's error text.
private func parse(_ input: String) throws -> MatchExpression {
    do throws(ExpressionError) {
        return try MatchExpression.parse(input)
    } catch {
        Issue.record("\(String(reflecting: input)) should parse, got \(error)")
        throw error
    }
}

struct ParseCase: Sendable, CustomTestStringConvertible {
    var input: String
    var tree: MatchExpression
    init(_ input: String, _ tree: MatchExpression) {
        self.input = input
        self.tree = tree
    }
    var testDescription: String { String(reflecting: input) }
}

// MARK: - Grammar

@Suite("MatchExpression grammar")
struct GrammarTests {
    @Test("precedence: not binds tighter than and, and tighter than or; both associate left", arguments: [
        ParseCase("a", id("a")),
        ParseCase("a or b and c", .or(id("a"), .and(id("b"), id("c")))),
        ParseCase("a and b or c", .or(.and(id("a"), id("b")), id("c"))),
        ParseCase("not a and b", .and(.not(id("a")), id("b"))),
        ParseCase("not a or b", .or(.not(id("a")), id("b"))),
        ParseCase("a and not b", .and(id("a"), .not(id("b")))),
        ParseCase("not not a", .not(.not(id("a")))),
        ParseCase("a and b and c", .and(.and(id("a"), id("b")), id("c"))),
        ParseCase("a or b or c", .or(.or(id("a"), id("b")), id("c"))),
        ParseCase("a or b and not c or d", .or(.or(id("a"), .and(id("b"), .not(id("c")))), id("d"))),
    ])
    func precedence(_ test: ParseCase) throws {
        #expect(try parse(test.input) == test.tree)
    }

    @Test("parentheses override precedence; whitespace is spaces and tabs, optional around parentheses", arguments: [
        ParseCase("(a or b) and c", .and(.or(id("a"), id("b")), id("c"))),
        ParseCase("not (a and b)", .not(.and(id("a"), id("b")))),
        ParseCase("not(a)", .not(id("a"))),
        ParseCase("((a))", id("a")),
        ParseCase("(a)or(b)", .or(id("a"), id("b"))),
        ParseCase("a and(b or c)", .and(id("a"), .or(id("b"), id("c")))),
        ParseCase("\t a \t and\tb  ", .and(id("a"), id("b"))),
        ParseCase("( a )", id("a")),
    ])
    func parentheses(_ test: ParseCase) throws {
        #expect(try parse(test.input) == test.tree)
    }

    @Test("the empty expression is the constant false", arguments: ["", " ", "\t", "  \t  "])
    func emptyExpression(_ input: String) throws {
        let expression = try parse(input)
        #expect(expression == .constant(false))
        #expect(!expression.evaluate(NameSet(names: ["a", ""])))
        #expect(expression.identifiers.isEmpty)
    }

    @Test("identifiers: word characters (Unicode too) and : + - . [ ] \\ /", arguments: [
        "a", "slow", "test_foo", "a:b", "suite::name", "a+b", "a-b", "py3.11", "test_x[1-2]", "a\\b", "\\",
        "a/b", "tests/test_a.py::test_b[x]", "1", "007", "-", "[", "ünïcödé", "数据", "٣", "Ⅻ", "a²",
        // Keywords are case-sensitive and only whole words.
        "True", "False", "None", "NOT", "And", "OR", "notslow", "nota", "orb", "android", "not_", "or-1",
    ])
    func identifier(_ input: String) throws {
        #expect(try parse(input) == id(input))
        #expect(try parse("not \(input)") == .not(id(input)))
    }

    @Test("or, and, not are keywords only as whole tokens")
    func keywordsAsWholeTokens() throws {
        #expect(try parse("notebook or order and android") == .or(id("notebook"), .and(id("order"), id("android"))))
        #expect(try parse("not-slow") == id("not-slow"))
        #expect(try parse("not(not(slow))") == .not(.not(id("slow"))))
    }

    @Test("keyword arguments: strings, integers, True, False, None", arguments: [
        ParseCase("foo(a='x')", call("foo", [("a", .string("x"))])),
        ParseCase("foo(a=\"x\")", call("foo", [("a", .string("x"))])),
        ParseCase("foo(a='')", call("foo", [("a", .string(""))])),
        ParseCase("foo(a='x y, z=(1)')", call("foo", [("a", .string("x y, z=(1)"))])),
        ParseCase("foo(a=\"it's\")", call("foo", [("a", .string("it's"))])),
        ParseCase("foo(a='say \"hi\"')", call("foo", [("a", .string("say \"hi\""))])),
        ParseCase("foo(a='True')", call("foo", [("a", .string("True"))])),
        ParseCase("foo(a=2)", call("foo", [("a", .int(2))])),
        ParseCase("foo(a=-3)", call("foo", [("a", .int(-3))])),
        ParseCase("foo(a=0)", call("foo", [("a", .int(0))])),
        ParseCase("foo(a=-0)", call("foo", [("a", .int(0))])),
        ParseCase("foo(a=007)", call("foo", [("a", .int(7))])),
        ParseCase("foo(a=1234567890)", call("foo", [("a", .int(1_234_567_890))])),
        // str.isdigit() and int() accept any Unicode decimal digits.
        ParseCase("foo(a=٣)", call("foo", [("a", .int(3))])),
        ParseCase("foo(a=-٤٢)", call("foo", [("a", .int(-42))])),
        ParseCase("foo(a=True)", call("foo", [("a", .bool(true))])),
        ParseCase("foo(a=False)", call("foo", [("a", .bool(false))])),
        ParseCase("foo(a=None)", call("foo", [("a", .null)])),
        ParseCase("foo(_=2)", call("foo", [("_", .int(2))])),
        ParseCase("foo(match=2)", call("foo", [("match", .int(2))])),
        ParseCase("foo(print=2)", call("foo", [("print", .int(2))])),
        ParseCase("foo(ünï=2)", call("foo", [("ünï", .int(2))])),
        ParseCase("a:b.c(d=2)", call("a:b.c", [("d", .int(2))])),
    ])
    func keywordArgument(_ test: ParseCase) throws {
        #expect(try parse(test.input) == test.tree)
    }

    @Test("several keyword arguments keep their order; spacing around = , ( is free", arguments: [
        ParseCase("device(serial='123', n=2, flag=True, opt=None)",
                  call("device", [("serial", .string("123")), ("n", .int(2)), ("flag", .bool(true)), ("opt", .null)])),
        ParseCase("device(n=2,serial='1')", call("device", [("n", .int(2)), ("serial", .string("1"))])),
        ParseCase("device ( n = 2 ,\tserial = \"1\" )", call("device", [("n", .int(2)), ("serial", .string("1"))])),
        ParseCase("not device(n=2) and slow(x=None) or gpu",
                  .or(.and(.not(call("device", [("n", .int(2))])), call("slow", [("x", .null)])), id("gpu"))),
        // Canonically equivalent names (Å, U+00C5 and U+212B) are still different names to Python.
        ParseCase("foo(\u{C5}=2, \u{212B}=3)", call("foo", [("\u{C5}", .int(2)), ("\u{212B}", .int(3))])),
    ])
    func severalKeywordArguments(_ test: ParseCase) throws {
        #expect(try parse(test.input) == test.tree)
    }

    @Test("identifiers lists every name in order, with whether it had keyword arguments")
    func identifiers() throws {
        let names = try parse("a and foo(x=2) or not (b or c(y=None))").identifiers
        #expect(names.map(\.name) == ["a", "foo", "b", "c"])
        #expect(names.map(\.hasKwargs) == [false, true, false, true])
    }
}

// MARK: - Evaluation with a plain matcher

struct EvaluationCase: Sendable, CustomTestStringConvertible {
    var expression: String
    var trueNames: Set<String>
    var expected: Bool
    init(_ expression: String, _ trueNames: Set<String>, _ expected: Bool) {
        self.expression = expression
        self.trueNames = trueNames
        self.expected = expected
    }
    var testDescription: String { "\(expression) with \(trueNames.sorted()) true" }
}

@Suite("MatchExpression evaluation")
struct EvaluationTests {
    @Test("boolean semantics", arguments: [
        EvaluationCase("a", ["a"], true),
        EvaluationCase("a", ["b"], false),
        EvaluationCase("not a", [], true),
        EvaluationCase("not a", ["a"], false),
        EvaluationCase("not not a", ["a"], true),
        EvaluationCase("a and b", ["a"], false),
        EvaluationCase("a and b", ["a", "b"], true),
        EvaluationCase("a or b", ["b"], true),
        EvaluationCase("a or b", [], false),
        EvaluationCase("a or b and c", ["a"], true),
        EvaluationCase("a or b and c", ["b"], false),
        EvaluationCase("a or b and c", ["b", "c"], true),
        EvaluationCase("(a or b) and c", ["a"], false),
        EvaluationCase("(a or b) and c", ["a", "c"], true),
        EvaluationCase("not a and b", ["b"], true),
        EvaluationCase("not a and b", ["a", "b"], false),
        EvaluationCase("not (a and b)", ["a"], true),
        EvaluationCase("not (a and b)", ["a", "b"], false),
        EvaluationCase("a and not b or c", ["a", "b"], false),
        EvaluationCase("a and not b or c", ["a", "b", "c"], true),
        EvaluationCase("True", [], false),
        EvaluationCase("True", ["True"], true),
        EvaluationCase("a(x=2)", ["a"], true),
        EvaluationCase("", ["a"], false),
    ])
    func semantics(_ test: EvaluationCase) throws {
        #expect(try parse(test.expression).evaluate(NameSet(names: test.trueNames)) == test.expected)
    }

    @Test("the matcher gets the name and the keyword arguments as written; none for a bare name")
    func matcherArguments() throws {
        final class Recorder: Matcher, @unchecked Sendable {
            var calls: [(String, [(String, MarkerValue)])] = []
            func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool {
                calls.append((name, kwargs))
                return false
            }
        }
        let recorder = Recorder()
        _ = try parse("a or device(serial='1', n=-2, flag=False, opt=None)").evaluate(recorder)
        try #require(recorder.calls.count == 2)
        #expect(recorder.calls[0].0 == "a")
        #expect(recorder.calls[0].1.isEmpty)
        #expect(recorder.calls[1].0 == "device")
        #expect(recorder.calls[1].1.map(\.0) == ["serial", "n", "flag", "opt"])
        #expect(recorder.calls[1].1.map(\.1) == [.string("1"), .int(-2), .bool(false), .null])
    }
}

// MARK: - Errors

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

    @Test("parse errors", arguments: [
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

    @Test("lexical errors; columns count Unicode scalars, as Python counts code points", arguments: [
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

    @Test("pytest lexes lazily: an error in the tokens is reported only when the parser reaches it", arguments: [
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

    @Test("string literals: unclosed quotes, and a backslash inside one", arguments: [
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

    @Test("keyword argument syntax", arguments: [
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

    @Test("keyword argument names must be Python identifiers that are not reserved words", arguments: [
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

    @Test("keyword argument values", arguments: [
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

    @Test("what Python's compile() rejects after parsing: repeated keywords and __debug__, at column 1", arguments: [
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

    @Test("where pytest crashes or Python has big integers, mlrun reports a syntax error", arguments: [
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
