// MarkerMatcher (-m) and KeywordMatcher (-k) on parsed expressions.
//
// Unless marked as a deliberate mlrun deviation, each expectation is what pytest's
// MarkMatcher / KeywordMatcher answers for the same markers.

import MLRunCore
import Testing

struct MatcherCase: Sendable, CustomTestStringConvertible {
    var expression: String
    var expected: Bool
    init(_ expression: String, _ expected: Bool) {
        self.expression = expression
        self.expected = expected
    }
    var testDescription: String { "\(expression) → \(expected)" }
}

private func evaluate(_ expression: String, _ matcher: some Matcher) throws -> Bool {
    try MatchExpression.parse(expression).evaluate(matcher)
}

@Suite("MarkerMatcher")
struct MarkerMatcherTests {
    @Test(
        "a bare name matches a marker of that name, with or without kwargs; names are case-sensitive",
        arguments: [
            MatcherCase("slow", true),
            MatcherCase("device", true),
            MatcherCase("gpu", false),
            MatcherCase("Slow", false),
            MatcherCase("slow and device", true),
            MatcherCase("slow and not device", false),
            MatcherCase("not gpu", true),
            MatcherCase("gpu or device", true),
        ])
    func bareNames(_ test: MatcherCase) throws {
        let matcher = MarkerMatcher([Marker("slow"), Marker("device", kwargs: ["serial": .string("123"), "n": .int(2)])])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    @Test(
        "kwargs in the expression must be a subset of one marker's kwargs",
        arguments: [
            MatcherCase("device(serial='123')", true),
            MatcherCase("device(serial=\"123\")", true),
            MatcherCase("device(n=2)", true),
            MatcherCase("device(serial='123', n=2)", true),
            MatcherCase("device(n=2, serial='123')", true),
            MatcherCase("device(serial='124')", false),
            MatcherCase("device(serial='123', n=3)", false),
            MatcherCase("device(serial='123', other=None)", false),
            // A missing key is not None.
            MatcherCase("device(other=None)", false),
            // Strings and integers never equal each other.
            MatcherCase("device(serial=123)", false),
            MatcherCase("device(n='2')", false),
            MatcherCase("not device(n=3)", true),
            // A marker without kwargs never matches an expression with kwargs.
            MatcherCase("slow(n=2)", false),
            MatcherCase("slow(x=None)", false),
        ])
    func kwargsSubset(_ test: MatcherCase) throws {
        let matcher = MarkerMatcher([Marker("slow"), Marker("device", kwargs: ["serial": .string("123"), "n": .int(2)])])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    @Test(
        "with several markers of one name, one of them must hold every pair",
        arguments: [
            MatcherCase("device", true),
            MatcherCase("device(serial='1')", true),
            MatcherCase("device(serial='2', flag=True)", true),
            MatcherCase("device(serial='1', flag=True)", false),
            MatcherCase("device(flag=True) and device(serial='1')", true),
            MatcherCase("device(serial='3')", false),
        ])
    func severalMarkersOfOneName(_ test: MatcherCase) throws {
        let matcher = MarkerMatcher([
            Marker("device", kwargs: ["serial": .string("1")]),
            Marker("device", kwargs: ["serial": .string("2"), "flag": .bool(true)]),
        ])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    @Test(
        "True, False, None and negative integers",
        arguments: [
            MatcherCase("m(flag=True)", true),
            MatcherCase("m(flag=False)", false),
            MatcherCase("m(off=False)", true),
            MatcherCase("m(opt=None)", true),
            MatcherCase("m(opt='None')", false),
            MatcherCase("m(opt=False)", false),
            MatcherCase("m(k=-2)", true),
            MatcherCase("m(k=2)", false),
            MatcherCase("m(flag=True, off=False, opt=None, k=-2)", true),
        ])
    func specialValues(_ test: MatcherCase) throws {
        let matcher = MarkerMatcher([Marker("m", kwargs: ["flag": .bool(true), "off": .bool(false), "opt": .null, "k": .int(-2)])])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    // Deliberate deviation: Python's == says 1 == True and 0 == False; mlrun compares by
    // type and value.
    @Test(
        "values compare by type and value: 1 is not True, 0 is not False (unlike pytest)",
        arguments: [
            MatcherCase("m(one=1)", true),
            MatcherCase("m(one=True)", false),
            MatcherCase("m(zero=0)", true),
            MatcherCase("m(zero=False)", false),
            MatcherCase("m(yes=True)", true),
            MatcherCase("m(yes=1)", false),
            MatcherCase("m(no=False)", true),
            MatcherCase("m(no=0)", false),
        ])
    func typeStrictValues(_ test: MatcherCase) throws {
        let matcher = MarkerMatcher([Marker("m", kwargs: ["one": .int(1), "zero": .int(0), "yes": .bool(true), "no": .bool(false)])])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    @Test("no markers: every name is false")
    func noMarkers() throws {
        let matcher = MarkerMatcher([])
        #expect(try !evaluate("slow", matcher))
        #expect(try evaluate("not slow", matcher))
        #expect(try !evaluate("", matcher))
    }
}

@Suite("KeywordMatcher")
struct KeywordMatcherTests {
    @Test(
        "a name matches a case-insensitive substring of the id, or a marker name",
        arguments: [
            MatcherCase("test_Foo", true),
            MatcherCase("foo", true),
            MatcherCase("FOO", true),
            MatcherCase("oo[1", true),
            MatcherCase("suite::test", true),
            MatcherCase("tests/unit.py", true),
            MatcherCase("bar", false),
            MatcherCase("slow", true),
            MatcherCase("SLOW", true),
            MatcherCase("gpu", false),
            MatcherCase("not bar", true),
            MatcherCase("foo and not slow", false),
            MatcherCase("bar or slow", true),
            MatcherCase("(foo or bar) and 1-2", true),
        ])
    func substrings(_ test: MatcherCase) throws {
        let matcher = KeywordMatcher(id: "suite::tests/unit.py::test_Foo[1-2]", markers: [Marker("slow", kwargs: ["n": .int(2)])])
        #expect(try evaluate(test.expression, matcher) == test.expected)
    }

    // mlrun compares marker names whole; pytest's KeywordMatcher also matches substrings of
    // marker names ("slo" selects a test marked slow there).
    @Test("a marker name must match whole")
    func markerNamesMatchWhole() throws {
        let matcher = KeywordMatcher(id: "s::t", markers: [Marker("slow")])
        #expect(try evaluate("slow", matcher))
        #expect(try !evaluate("slo", matcher))
    }

    // With a framework's own keywords (pytest's item names), -k is pytest's: a substring of any
    // of them, marker names included, and nothing else: not the suite, not across separators.
    @Test("a test's own keywords replace the id")
    func frameworkKeywords() throws {
        let matcher = KeywordMatcher(
            id: "unit::tests/test_x.py::TestA::test_b[1]", markers: [Marker("slow")],
            keywords: ["tests", "test_x.py", "TestA", "test_b[1]", "slow"])
        #expect(try evaluate("testa and b[1", matcher))
        #expect(try evaluate("slo", matcher))
        #expect(try !evaluate("unit", matcher))
        #expect(try !evaluate("x.py::Test", matcher))
    }
}
