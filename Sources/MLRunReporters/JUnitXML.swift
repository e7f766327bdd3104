import Foundation
import MLRunCore

/// One test as a JUnit `<testcase>` shows it; made from a `TestResult` by `JUnitReporter`
/// and from a JSON report's test entry by `ReportMerger.junit(from:)`.
package struct JUnitCase: Sendable {
    /// The suite, written as `classname` and grouped into its `<testsuite>`.
    package var suite: String
    /// The test's name within its suite (the id after `::`).
    package var name: String
    /// Decides the child element: `<failure>`, `<error>`, `<skipped>` or none.
    package var outcome: Outcome
    /// Seconds.
    package var duration: Double
    /// The failure, error or skip message; its first line becomes the `message` attribute.
    package var message: String
    /// What the test measured, written as `<property>` elements.
    package var values: [(String, JSONValue)]
    /// Captured standard output, written as `<system-out>` when not empty.
    package var stdout: String
    /// Captured standard error, written as `<system-err>` when not empty.
    package var stderr: String

    /// A test case; everything but its place and outcome may be left empty.
    package init(
        suite: String, name: String, outcome: Outcome, duration: Double = 0, message: String = "",
        values: [(String, JSONValue)] = [], stdout: String = "", stderr: String = ""
    ) {
        self.suite = suite
        self.name = name
        self.outcome = outcome
        self.duration = duration
        self.message = message
        self.values = values
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// JUnit XML as GitHub Actions, GitLab and Jenkins read it: one `<testsuite>` per suite
/// (sorted by name), one `<testcase>` per test (`classname` = suite); `failed` as
/// `<failure>`; `error`, `crashed` and `timeout` as `<error type="…">`; `skipped` as
/// `<skipped>`; values as `<properties>`; captured output in `<system-out>`/`<system-err>`.
package enum JUnitXML {
    /// The whole document.
    ///
    /// - Parameters:
    ///   - cases: the tests, in the order they appear within their suites (mlrun sorts by id).
    ///   - duration: the run's wall-clock seconds, the `<testsuites>` `time`.
    ///   - timestamp: when the run started (ISO 8601), written on every `<testsuite>`; nil
    ///     to leave it out.
    package static func document(cases: [JUnitCase], duration: Double, timestamp: String?) -> String {
        let bySuite = Dictionary(grouping: cases, by: \.suite)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let (failures, errors, skipped) = tally(cases)
        xml +=
            "<testsuites name=\"mlrun\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(duration))\">\n"
        for suite in bySuite.keys.sorted() {
            let tests = bySuite[suite] ?? []
            let (suiteFailures, suiteErrors, suiteSkipped) = tally(tests)
            let time = tests.reduce(0) { $0 + $1.duration }
            var attributes =
                "name=\"\(escape(suite))\" tests=\"\(tests.count)\" failures=\"\(suiteFailures)\" errors=\"\(suiteErrors)\" skipped=\"\(suiteSkipped)\" time=\"\(seconds(time))\""
            if let timestamp { attributes += " timestamp=\"\(escape(timestamp))\"" }
            xml += "  <testsuite \(attributes)>\n"
            for test in tests { xml += testCase(test) }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func tally(_ cases: [JUnitCase]) -> (failures: Int, errors: Int, skipped: Int) {
        var failures = 0, errors = 0, skipped = 0
        for test in cases {
            switch test.outcome {
            case .failed: failures += 1
            case .error, .crashed, .timeout: errors += 1
            case .skipped: skipped += 1
            case .passed, .collected: break
            }
        }
        return (failures, errors, skipped)
    }

    private static func testCase(_ test: JUnitCase) -> String {
        var xml = "    <testcase classname=\"\(escape(test.suite))\" name=\"\(escape(test.name))\" time=\"\(seconds(test.duration))\""
        let message = escape(firstLine(test.message))
        var body = ""
        switch test.outcome {
        case .passed, .collected: break
        case .failed: body += "      <failure message=\"\(message)\" type=\"failed\">\(escape(test.message))</failure>\n"
        case .error, .crashed, .timeout:
            body += "      <error message=\"\(message)\" type=\"\(test.outcome.rawValue)\">\(escape(test.message))</error>\n"
        case .skipped: body += "      <skipped message=\"\(message)\"/>\n"
        }
        if !test.values.isEmpty {
            body += "      <properties>\n"
            for (key, value) in test.values {
                let text: String
                if case .string(let s) = value { text = s } else { text = value.jsonText }
                body += "        <property name=\"\(escape(key))\" value=\"\(escape(text))\"/>\n"
            }
            body += "      </properties>\n"
        }
        if !test.stdout.isEmpty { body += "      <system-out>\(escape(test.stdout))</system-out>\n" }
        if !test.stderr.isEmpty { body += "      <system-err>\(escape(test.stderr))</system-err>\n" }
        xml += body.isEmpty ? "/>\n" : ">\n\(body)    </testcase>\n"
        return xml
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
