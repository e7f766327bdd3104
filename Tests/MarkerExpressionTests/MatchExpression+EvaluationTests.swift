import MarkerExpression
import Testing

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
    @Test(
        "boolean semantics",
        arguments: [
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
