import Foundation
import MLRunCore

/// Writes JUnit XML (`--junit-xml FILE`) as GitHub Actions, GitLab and Jenkins read it:
/// one `<testsuite>` per suite, one `<testcase>` per test (`classname` = suite); `failed`
/// as `<failure>`; `error`, `crashed` and `timeout` as `<error type="…">`; `skipped` as
/// `<skipped>`; captured output in `<system-out>`/`<system-err>`. Written atomically.
public final class JUnitReporter: Reporter {
    private let url: URL
    private var collector = ResultCollector()
    private var problem: String?

    public init(url: URL) {
        self.url = url
    }

    public func handle(_ event: RunEvent) {
        if let summary = collector.record(event) { write(summary) }
    }

    public func finish() -> String? { problem }

    private func write(_ summary: RunSummary) {
        let results = collector.sortedResults
        let header = collector.header
        let bySuite = Dictionary(grouping: results, by: \.id.suite)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let total = results.count
        let failures = results.filter { $0.outcome == .failed }.count
        let errors = results.filter { [.error, .crashed, .timeout].contains($0.outcome) }.count
        let skipped = results.filter { $0.outcome == .skipped }.count
        xml += "<testsuites name=\"mlrun\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(Self.seconds(summary.duration))\">\n"
        for suite in bySuite.keys.sorted() {
            let tests = bySuite[suite]!
            let suiteFailures = tests.filter { $0.outcome == .failed }.count
            let suiteErrors = tests.filter { [.error, .crashed, .timeout].contains($0.outcome) }.count
            let suiteSkipped = tests.filter { $0.outcome == .skipped }.count
            let time = tests.reduce(0) { $0 + $1.duration }
            var attributes = "name=\"\(Self.escape(suite))\" tests=\"\(tests.count)\" failures=\"\(suiteFailures)\" errors=\"\(suiteErrors)\" skipped=\"\(suiteSkipped)\" time=\"\(Self.seconds(time))\""
            if let header { attributes += " timestamp=\"\(ReportJSON.timestamp(header.startedAt))\"" }
            xml += "  <testsuite \(attributes)>\n"
            for test in tests {
                xml += "    <testcase classname=\"\(Self.escape(suite))\" name=\"\(Self.escape(test.id.name))\" time=\"\(Self.seconds(test.duration))\""
                let message = Self.escape(Self.firstLine(test.message))
                var body = ""
                switch test.outcome {
                case .passed, .collected: break
                case .failed: body += "      <failure message=\"\(message)\" type=\"failed\">\(Self.escape(test.message))</failure>\n"
                case .error, .crashed, .timeout:
                    body += "      <error message=\"\(message)\" type=\"\(test.outcome.rawValue)\">\(Self.escape(test.message))</error>\n"
                case .skipped: body += "      <skipped message=\"\(message)\"/>\n"
                }
                if !test.values.isEmpty {
                    body += "      <properties>\n"
                    for (key, value) in test.values {
                        let text: String
                        if case .string(let s) = value { text = s } else { text = value.jsonText }
                        body += "        <property name=\"\(Self.escape(key))\" value=\"\(Self.escape(text))\"/>\n"
                    }
                    body += "      </properties>\n"
                }
                if !test.stdout.isEmpty { body += "      <system-out>\(Self.escape(test.stdout))</system-out>\n" }
                if !test.stderr.isEmpty { body += "      <system-err>\(Self.escape(test.stderr))</system-err>\n" }
                xml += body.isEmpty ? "/>\n" : ">\n\(body)    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        do {
            try writeAtomically(xml, to: url)
        } catch {
            problem = "cannot write the JUnit report to \(url.path): \(error.localizedDescription)"
        }
    }

    static func seconds(_ value: Double) -> String { String(format: "%.6f", value) }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.count > 500 ? String(line.prefix(500)) + "…" : line
    }

    /// Escapes XML's five special characters and drops characters XML 1.0 cannot carry
    /// (control characters other than tab, newline and carriage return).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
