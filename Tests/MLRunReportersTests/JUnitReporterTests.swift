import Foundation
import MLRunCore
import MLRunReporters
import MLRunTestSupport
import Testing

@Suite struct JUnitFromReportTests {
    /// The same run through `JUnitReporter` and through `JSONReporter` + `ReportMerger.junit(from:)`.
    @Test func junitFromAJSONReportIsWhatJUnitReporterWrites() throws {
        let folder = try SuiteHarness.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let jsonURL = folder.appendingPathComponent("report.json")
        let junitURL = folder.appendingPathComponent("report.xml")
        let reporters: [any Reporter] = [JSONReporter(url: jsonURL), JUnitReporter(url: junitURL)]
        let results = [
            TestResult(
                id: TestID(suite: "quality", name: "roc_auc"), plugin: "quality", markers: [], outcome: .passed,
                duration: 0.25, values: [("value", .double(0.93)), ("threshold", .double(0.9)), ("note", "a <b> & 'c'")]),
            TestResult(
                id: TestID(suite: "quality", name: "f1"), plugin: "quality", markers: [], outcome: .failed,
                message: "f1 0.7 < 0.8\nsecond line", duration: 0.5),
            TestResult(id: TestID(suite: "data", name: "col::between"), plugin: "data", markers: [], outcome: .skipped, message: "no GPU"),
            TestResult(
                id: TestID(suite: "ext", name: "hangs"), plugin: "command", markers: [], outcome: .timeout,
                message: "over 10 s", duration: 10, stdout: "out\u{01}put", stderr: "err"),
            TestResult(id: TestID(suite: "ext", name: "dies"), plugin: "command", markers: [], outcome: .crashed, message: "signal 9"),
        ]
        let header = RunHeader(
            configFile: URL(fileURLWithPath: "/repo/runner.toml"), seed: 42, args: [],
            startedAt: Date(timeIntervalSince1970: 1_767_225_600), collected: 5, selected: 5,
            deselected: [], collectOnly: false, tests: [])
        let summary = RunSummary(
            collected: 5, selected: 5, deselected: 0, counts: [.passed: 1, .failed: 1, .skipped: 1, .timeout: 1, .crashed: 1],
            duration: 12.5, interruptedBy: nil, exitCode: .testsFailed)
        for reporter in reporters {
            reporter.handle(.runStarted(header))
            for result in results { reporter.handle(.testFinished(result)) }
            reporter.handle(.runFinished(summary))
            #expect(reporter.finish() == nil)
        }
        let report = try JSONValue.parse(String(contentsOf: jsonURL, encoding: .utf8))
        let written = try String(contentsOf: junitURL, encoding: .utf8)
        #expect(ReportMerger.junit(from: report) == written)
        #expect(written.contains("<testcase classname=\"data\" name=\"col::between\""))
    }

    @Test func junitOfAMergedReportHasEveryTest() throws {
        let xml = ReportMerger.junit(from: try ReportMerger.merge(ShardedRun.reports))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 11)
        #expect(xml.contains("<testsuites name=\"mlrun\" tests=\"11\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"6.000000\">"))
        #expect(xml.contains("timestamp=\"2026-01-01T00:00:01Z\""))
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
