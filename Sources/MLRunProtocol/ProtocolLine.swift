import MLRunCore

/// One stdout line of a plugin's `run` command, read against the id it was given.
package enum ProtocolLine {
    case start
    case result(TestVerdict, values: [(String, JSONValue)], stdout: String?, stderr: String?)
    case malformed(String)

    /// The outcomes a plugin may report; `crashed` and `timeout` are mlrun's to decide.
    static let outcomes: [String: Outcome] = ["passed": .passed, "failed": .failed, "skipped": .skipped, "error": .error]

    package static func parse(_ line: String, expecting id: String) -> ProtocolLine {
        let shown = line.count > 200 ? String(line.prefix(200)) + "…" : line
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch {
            return .malformed("expected a JSON object per line, got \(quoted(shown)) (\(error))")
        }
        guard case .object = json else {
            return .malformed("expected a JSON object per line, got \(json.typeName) \(quoted(shown))")
        }
        guard let reported = json["id"]?.stringValue else {
            return .malformed("line without a string \"id\": \(quoted(shown))")
        }
        guard reported == id else {
            return .malformed("a line for the unknown id \(quoted(reported)) while running \(quoted(id)): \(quoted(shown))")
        }
        if let event = json["event"] {
            guard event.stringValue == "start" else {
                return .malformed("unknown event \(event.jsonText) (only \"start\" is defined): \(quoted(shown))")
            }
            return .start
        }
        guard let outcomeText = json["outcome"]?.stringValue else {
            return .malformed("line with neither \"event\" nor \"outcome\": \(quoted(shown))")
        }
        guard let outcome = outcomes[outcomeText] else {
            return .malformed("unknown outcome \(quoted(outcomeText)) (expected passed, failed, skipped or error)")
        }
        var message = ""
        switch json["message"] {
        case nil, .null?: break
        case .string(let text)?: message = text
        case let other?: return .malformed("\"message\" must be a string, not \(other.typeName)")
        }
        var values: [(String, JSONValue)] = []
        switch json["values"] {
        case nil, .null?: break
        case .object(let members)?: values = members
        case let other?: return .malformed("\"values\" must be an object, not \(other.typeName)")
        }
        if let duration = json["duration_s"], duration != .null, duration.numberValue == nil {
            return .malformed("\"duration_s\" must be a number, not \(duration.typeName)")
        }
        // mlrun's own workers also send what the test attached; other plugins may too.
        let stdout = json["stdout"]?.stringValue
        let stderr = json["stderr"]?.stringValue
        return .result(TestVerdict(outcome, message), values: values, stdout: stdout, stderr: stderr)
    }

    package static func quoted(_ text: String) -> String { JSONValue.string(text).jsonText }
}
