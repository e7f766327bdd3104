// The -m / -k expression grammar, checked against what pytest 9 does. Evaluation is in
// MatchExpression+EvaluationTests.swift, errors (with pytest's columns) in ExpressionErrorTests.swift.

import MarkerExpression
import Testing

// MARK: - Helpers, shared with the evaluation and error tests

func id(_ name: String) -> MatchExpression { .identifier(name, kwargs: nil) }
func call(_ name: String, _ kwargs: [(String, MarkerValue)]) -> MatchExpression { .identifier(name, kwargs: kwargs) }

/// True for exactly the names it holds, whatever the keyword arguments.
struct NameSet: Matcher {
    var names: Set<String>
    func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool { names.contains(name) }
}

/// Parses, or fails the test with pytest's error text.
func parse(_ input: String) throws -> MatchExpression {
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
    @Test(
        "precedence: not binds tighter than and, and tighter than or; both associate left",
        arguments: [
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

    @Test(
        "parentheses override precedence; whitespace is spaces and tabs, optional around parentheses",
        arguments: [
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

    @Test(
        "identifiers: word characters (Unicode too) and : + - . [ ] \\ /",
        arguments: [
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

    @Test(
        "keyword arguments: strings, integers, True, False, None",
        arguments: [
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

    @Test(
        "several keyword arguments keep their order; spacing around = , ( is free",
        arguments: [
            ParseCase(
                "device(serial='123', n=2, flag=True, opt=None)",
                call("device", [("serial", .string("123")), ("n", .int(2)), ("flag", .bool(true)), ("opt", .null)])),
            ParseCase("device(n=2,serial='1')", call("device", [("n", .int(2)), ("serial", .string("1"))])),
            ParseCase("device ( n = 2 ,\tserial = \"1\" )", call("device", [("n", .int(2)), ("serial", .string("1"))])),
            ParseCase(
                "not device(n=2) and slow(x=None) or gpu",
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
