import Foundation
import MLRunCore

/// The JSON shapes shared by the report file and the event stream.
package enum ReportJSON {
    /// mlrun's version, written into reports.
    package static let version = "0.1.0"

    /// One test's entry in the `tests` array (SPEC §6).
    package static func test(_ result: TestResult) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(result.id.description)),
            ("suite", .string(result.id.suite)),
            ("plugin", .string(result.plugin)),
            ("markers", .array(result.markers.map(\.jsonValue))),
            ("outcome", .string(result.outcome.rawValue)),
            ("duration_s", .double(rounded(result.duration))),
            ("message", .string(result.message)),
            ("worker", .int(result.worker)),
            ("attempts", .int(result.attempts)),
            ("values", .object(result.values)),
        ]
        if let seed = result.seed { members.append(("seed", .string(String(seed)))) }
        if result.flaky { members.append(("flaky", .bool(true))) }
        if let reason = result.selectedBecause { members.append(("selected_because", .string(reason))) }
        if !result.stdout.isEmpty { members.append(("stdout", .string(result.stdout))) }
        if !result.stderr.isEmpty { members.append(("stderr", .string(result.stderr))) }
        return .object(members)
    }

    /// The `summary` object.
    package static func summary(collected: Int, selected: Int, deselected: Int, counts: [Outcome: Int], flaky: Int = 0) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("collected", .int(collected)), ("selected", .int(selected)), ("deselected", .int(deselected)),
        ]
        for outcome in [Outcome.passed, .failed, .skipped, .error, .crashed, .timeout] {
            members.append((outcome.rawValue, .int(counts[outcome, default: 0])))
        }
        if let collectedCount = counts[.collected] { members.append(("collected_only", .int(collectedCount))) }
        if flaky > 0 { members.append(("flaky", .int(flaky))) }
        return .object(members)
    }

    /// Microsecond precision is plenty for durations and keeps reports readable.
    static func rounded(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e6 }

    /// ISO 8601 in UTC with seconds, e.g. `2026-01-01T00:00:00Z`.
    package static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Writes `data` to `url` atomically: a temporary file in the same folder, then a rename,
/// so a reader never sees half a report, even if mlrun is killed mid-write.
package func writeAtomically(_ text: String, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    try Data(text.utf8).write(to: temporary)
    if rename(temporary.path, url.path) != 0 {
        let code = errno
        try? FileManager.default.removeItem(at: temporary)
        throw NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(code))])
    }
}
