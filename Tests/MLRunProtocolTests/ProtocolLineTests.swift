import MLRunCore
import MLRunProtocol
import Testing

@Suite struct ProtocolLineTests {
    @Test func aStartLineAndAResultLine() {
        guard case .start = ProtocolLine.parse(#"{"id": "s::a", "event": "start"}"#, expecting: "s::a") else {
            Issue.record("not a start line")
            return
        }
        let line = #"{"id": "s::a", "outcome": "failed", "message": "off by one", "values": {"n": 3}, "stdout": "hi"}"#
        guard case .result(let verdict, let values, let stdout, let stderr) = ProtocolLine.parse(line, expecting: "s::a") else {
            Issue.record("not a result line")
            return
        }
        #expect(verdict == .failed("off by one"))
        #expect(values.map(\.0) == ["n"])
        #expect(values.first?.1 == .int(3))
        #expect(stdout == "hi")
        #expect(stderr == nil)
    }

    struct Garbage: Sendable, CustomTestStringConvertible {
        var line: String
        var problem: String
        var testDescription: String { line }
    }

    /// Whatever a plugin prints that breaks the protocol is named, never trusted.
    @Test(arguments: [
        Garbage(line: "hello", problem: "expected a JSON object per line, got \"hello\""),
        Garbage(line: "[1]", problem: "expected a JSON object per line, got array \"[1]\""),
        Garbage(line: #"{"outcome": "passed"}"#, problem: "line without a string \"id\""),
        Garbage(line: #"{"id": "s::b", "outcome": "passed"}"#, problem: "a line for the unknown id \"s::b\" while running \"s::a\""),
        Garbage(line: #"{"id": "s::a", "event": "begin"}"#, problem: "unknown event \"begin\" (only \"start\" is defined)"),
        Garbage(line: #"{"id": "s::a"}"#, problem: "line with neither \"event\" nor \"outcome\""),
        Garbage(line: #"{"id": "s::a", "outcome": "crashed"}"#, problem: "unknown outcome \"crashed\" (expected passed, failed, skipped or error)"),
        Garbage(line: #"{"id": "s::a", "outcome": "passed", "message": 3}"#, problem: "\"message\" must be a string, not"),
        Garbage(line: #"{"id": "s::a", "outcome": "passed", "values": []}"#, problem: "\"values\" must be an object, not"),
        Garbage(line: #"{"id": "s::a", "outcome": "passed", "duration_s": "1"}"#, problem: "\"duration_s\" must be a number, not"),
    ])
    func malformedLinesSayWhatIsWrong(_ garbage: Garbage) {
        guard case .malformed(let message) = ProtocolLine.parse(garbage.line, expecting: "s::a") else {
            Issue.record("\(garbage.line) was accepted")
            return
        }
        #expect(message.hasPrefix(garbage.problem), "\(message)")
    }
}
