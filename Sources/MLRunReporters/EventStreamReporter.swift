import Foundation
import MLRunCore

/// The live event stream (`--events FILE`, `-` for stdout): one JSON object per line,
/// flushed as each event happens, each with `"version": 1`.
///
/// Lines: `{"version":1,"event":"run_started",…}`, `{"version":1,"event":"test_started","id":…}`,
/// `{"version":1,"event":"test_finished","test":{…report entry…}}`,
/// `{"version":1,"event":"run_finished","summary":{…},"exit_code":N}`.
package final class EventStreamReporter: Reporter {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var problem: String?

    /// Opens `path` for writing (truncating it); `-` means standard output.
    package init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            ownsHandle = false
        } else {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw NSError(domain: "mlrun", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot create \(path)"])
            }
            handle = try FileHandle(forWritingTo: url)
            ownsHandle = true
        }
    }

    package func handle(_ event: RunEvent) {
        let line: JSONValue
        switch event {
        case .runStarted(let header):
            line = .object([
                ("version", 1), ("event", "run_started"),
                ("started_at", .string(ReportJSON.timestamp(header.startedAt))),
                ("seed", .int(Int(clamping: header.seed))),
                ("config", .string(header.configFile.path)),
                ("collected", .int(header.collected)), ("selected", .int(header.selected)),
                ("deselected", .int(header.deselected.count)),
                ("collect_only", .bool(header.collectOnly)),
            ])
        case .testStarted(let test):
            line = .object([("version", 1), ("event", "test_started"), ("id", .string(test.id.description))])
        case .testFinished(let result):
            line = .object([("version", 1), ("event", "test_finished"), ("test", ReportJSON.test(result))])
        case .runFinished(let summary):
            var members: [(String, JSONValue)] = [
                ("version", 1), ("event", "run_finished"),
                ("duration_s", .double(ReportJSON.rounded(summary.duration))),
                (
                    "summary",
                    ReportJSON.summary(
                        collected: summary.collected, selected: summary.selected, deselected: summary.deselected, counts: summary.counts)
                ),
                ("exit_code", .int(Int(summary.exitCode.rawValue))),
            ]
            if let signal = summary.interruptedBy { members.append(("interrupted", .string(signal))) }
            line = .object(members)
        }
        do {
            try handle.write(contentsOf: Data((line.jsonText + "\n").utf8))
        } catch {
            problem = problem ?? "cannot write the event stream: \(error.localizedDescription)"
        }
    }

    package func finish() -> String? {
        if ownsHandle { try? handle.close() }
        return problem
    }
}
