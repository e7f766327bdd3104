import Foundation
import MLRunCore

/// Writes the JSON report (`--json FILE`, SPEC §6) when the run finishes — also when it was
/// interrupted — atomically.
public final class JSONReporter: Reporter {
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
        guard let header = collector.header else { return }
        let tests = collector.sortedResults.map(ReportJSON.test)
        var members: [(String, JSONValue)] = [
            ("schema", "mlrun-report/1"),
            ("version", .string(ReportJSON.version)),
            ("started_at", .string(ReportJSON.timestamp(header.startedAt))),
            ("duration_s", .double(ReportJSON.rounded(summary.duration))),
            ("seed", .int(Int(clamping: header.seed))),
            ("args", .array(header.args.map { .string($0) })),
            ("config", .string(header.configFile.path)),
            ("summary", ReportJSON.summary(collected: summary.collected, selected: summary.selected, deselected: summary.deselected, counts: summary.counts)),
            ("exit_code", .int(Int(summary.exitCode.rawValue))),
        ]
        if let signal = summary.interruptedBy { members.append(("interrupted", .string(signal))) }
        members.append(("tests", .array(tests)))
        members.append(("deselected", .array(header.deselected.sorted { $0.id < $1.id }.map {
            .object([("id", .string($0.id.description)), ("reason", .string($0.reason))])
        })))
        do {
            try writeAtomically(JSONValue.object(members).prettyJSONText + "\n", to: url)
        } catch {
            problem = "cannot write the JSON report to \(url.path): \(error.localizedDescription)"
        }
    }
}
