import Foundation
import MLRunCore

/// Writes the JSON report (`--json FILE`, SPEC §6) when the run finishes — also when it was
/// interrupted — atomically.
package final class JSONReporter: Reporter {
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
            (
                "summary",
                ReportJSON.summary(
                    collected: summary.collected, selected: summary.selected, deselected: summary.deselected,
                    counts: summary.counts, flaky: summary.flaky.count)
            ),
            ("exit_code", .int(Int(summary.exitCode.rawValue))),
        ]
        if let signal = summary.interruptedBy { members.append(("interrupted", .string(signal))) }
        if let shard = header.shard {
            var shardMembers: [(String, JSONValue)] = [
                ("index", .int(shard.spec.index)), ("total", .int(shard.spec.total)),
                ("strategy", .string(shard.spec.strategy.rawValue)),
                ("selection", .object([("count", .int(shard.selectionCount)), ("fingerprint", .string(shard.fingerprint))])),
            ]
            if let source = shard.source { shardMembers.append(("source", .string(source))) }
            members.append(("shard", .object(shardMembers)))
        }
        if let workers = header.workers { members.append(("workers", .int(workers))) }
        members.append(("tests", .array(tests)))
        members.append(
            (
                "deselected",
                .array(
                    header.deselected.sorted { $0.id < $1.id }.map {
                        .object([
                            ("id", .string($0.id.description)), ("reason", .string($0.reason.text)), ("filter", .string($0.reason.filter.rawValue)),
                        ])
                    })
            ))
        do {
            try writeAtomically(JSONValue.object(members).prettyJSONText + "\n", to: url)
        } catch {
            problem = "cannot write the JSON report to \(url.path): \(error.localizedDescription)"
        }
    }
}
