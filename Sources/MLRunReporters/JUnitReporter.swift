import Foundation
import MLRunCore

/// Writes JUnit XML (`--junit-xml FILE`) as GitHub Actions, GitLab and Jenkins read it:
/// one `<testsuite>` per suite, one `<testcase>` per test (`classname` = suite); `failed`
/// as `<failure>`; `error`, `crashed` and `timeout` as `<error type="…">`; `skipped` as
/// `<skipped>`; captured output in `<system-out>`/`<system-err>`. Written atomically.
package final class JUnitReporter: Reporter {
    private let url: URL
    private var collector = ResultCollector()
    private var problem: String?

    package init(url: URL) {
        self.url = url
    }

    package func handle(_ event: RunEvent) {
        if let summary = collector.record(event) { write(summary) }
    }

    package func finish() -> String? { problem }

    private func write(_ summary: RunSummary) {
        let cases = collector.sortedResults.map {
            JUnitCase(
                suite: $0.id.suite, name: $0.id.name, outcome: $0.outcome, duration: $0.duration, message: $0.message,
                values: $0.values, stdout: $0.stdout, stderr: $0.stderr)
        }
        let xml = JUnitXML.document(
            cases: cases, duration: summary.duration,
            timestamp: collector.header.map { ReportJSON.timestamp($0.startedAt) })
        do {
            try writeAtomically(xml, to: url)
        } catch {
            problem = "cannot write the JUnit report to \(url.path): \(error.localizedDescription)"
        }
    }
}
