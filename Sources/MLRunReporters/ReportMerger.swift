import Foundation
import MLRunCore

/// Joins the JSON reports of the N shards of one run (`mlrun merge-reports`) into the report
/// the unsharded run would have written, and turns a report into JUnit XML.
///
/// ## What a shard report must carry
/// Besides the SPEC §6 fields, a top-level
/// `"shard": {"index": K, "total": N, "strategy": "hash", "selection": {"count": M, "fingerprint": "…"}}`
/// where `selection` describes the whole selection before sharding: `count` selected tests
/// (`Plan.selected`, without collection failures) and their `ShardInfo.fingerprint(of:)`.
/// Tests left to other shards are listed under `deselected` with `"filter": "shard"`.
///
/// ## The merged report
/// The SPEC §6 shape without `shard`, plus `merged_from` (the reports' paths, in shard order):
/// - `tests`: every shard's tests, sorted by id. A collection failure (`<suite>::(discovery)`)
///   may appear in every shard and is kept once.
/// - `deselected`: the shards' deselections by filters other than `shard`, each id once,
///   without ids that ran somewhere.
/// - `summary`: recounted from `tests` (`flaky` from their `"flaky": true`); `collected` as
///   the shards report it, `selected` = the selection's count, `deselected` = the merged
///   `deselected` entries.
/// - `started_at`: the earliest; `duration_s`: the longest; `seed`, `version`, `config`: the
///   shards' (the seed must agree); `args`: shard 1's without `--shard`; `interrupted`: the
///   first shard's signal, if any shard was interrupted.
/// - `exit_code`: 2 if any shard was interrupted, else 1 if any test failed, errored, crashed
///   or timed out, else 5 if nothing was selected, else 0.
package enum ReportMerger {
    /// The report format this merger reads and writes.
    package static let schema = "mlrun-report/1"

    /// Merges the reports of all the shards of one run, given with the paths they were read
    /// from (for messages and `merged_from`), in any order.
    ///
    /// - Throws: `ReportMergeError` when a report is not an mlrun shard report, the reports
    ///   come from different runs or selections, a shard is given twice or missing, a test
    ///   ran in two shards, or the shards' tests are not exactly the selection.
    package static func merge(_ reports: [(path: String, json: JSONValue)]) throws(ReportMergeError) -> JSONValue {
        guard !reports.isEmpty else { throw .noReports }
        var shards: [ShardReport] = []
        for report in reports { shards.append(try ShardReport(path: report.path, json: report.json)) }

        let first = shards[0]
        for shard in shards.dropFirst() {
            if shard.fingerprint != first.fingerprint || shard.selectionCount != first.selectionCount {
                throw .differentSelection(
                    path: shard.path, fingerprint: shard.fingerprint, otherPath: first.path, otherFingerprint: first.fingerprint)
            }
            if shard.total != first.total {
                throw .differentTotal(path: shard.path, total: shard.total, otherPath: first.path, otherTotal: first.total)
            }
            if shard.strategy != first.strategy {
                throw .differentStrategy(path: shard.path, strategy: shard.strategy, otherPath: first.path, otherStrategy: first.strategy)
            }
            if shard.seed != first.seed {
                throw .differentSeed(path: shard.path, seed: shard.seed, otherPath: first.path, otherSeed: first.seed)
            }
            if shard.collected != first.collected {
                throw .differentCollection(path: shard.path, collected: shard.collected, otherPath: first.path, otherCollected: first.collected)
            }
        }
        var byIndex: [Int: ShardReport] = [:]
        for shard in shards {
            if let other = byIndex[shard.index] {
                throw .duplicateShard(index: shard.index, total: shard.total, path: shard.path, otherPath: other.path)
            }
            byIndex[shard.index] = shard
        }
        let missing = (1...first.total).filter { byIndex[$0] == nil }
        guard missing.isEmpty else { throw .missingShards(missing: missing, total: first.total) }
        shards.sort { $0.index < $1.index }

        // Tests: each id once; collection failures may repeat, one per shard.
        var tests: [String: (entry: JSONValue, outcome: Outcome, path: String)] = [:]
        for shard in shards {
            for test in shard.tests {
                if let other = tests[test.id] {
                    if isCollectionFailure(test.id) { continue }
                    throw .duplicateTest(id: test.id, path: shard.path, otherPath: other.path)
                }
                tests[test.id] = (test.entry, test.outcome, shard.path)
            }
        }
        let selectedIDs = tests.keys.filter { !isCollectionFailure($0) }
        let selectedFingerprint = ShardInfo.fingerprint(of: Array(selectedIDs))
        if selectedIDs.count != first.selectionCount || selectedFingerprint != first.fingerprint {
            throw .wrongTests(
                count: selectedIDs.count, expectedCount: first.selectionCount,
                fingerprint: selectedFingerprint, expectedFingerprint: first.fingerprint)
        }
        let sortedIDs = tests.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        // Deselections that hold without sharding.
        var deselected: [String: JSONValue] = [:]
        for shard in shards {
            for entry in shard.deselected where entry.filter != PlanFilter.shard.rawValue {
                if tests[entry.id] == nil, deselected[entry.id] == nil { deselected[entry.id] = entry.entry }
            }
        }
        let sortedDeselected = deselected.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var counts: [Outcome: Int] = [:]
        var flaky = 0
        for test in tests.values {
            counts[test.outcome, default: 0] += 1
            if test.entry["flaky"] == .bool(true) { flaky += 1 }
        }
        let interrupted = shards.lazy.compactMap(\.interrupted).first
        let exitCode = MLRunExitCode.of(interrupted: interrupted != nil, counts: counts, selected: first.selectionCount)
        let earliest = shards.min { $0.startedAt < $1.startedAt } ?? first

        var members: [(String, JSONValue)] = [
            ("schema", .string(schema)),
            ("version", shards[0].json["version"] ?? .string(ReportJSON.version)),
            ("started_at", .string(earliest.startedAtText)),
            ("duration_s", .double(shards.map(\.duration).max() ?? 0)),
            ("seed", first.seed),
            ("args", .array(withoutShardArgument(shards[0].args))),
        ]
        if let config = shards[0].json["config"] { members.append(("config", config)) }
        members.append(
            (
                "summary",
                ReportJSON.summary(
                    collected: first.collected, selected: first.selectionCount,
                    deselected: sortedDeselected.count, counts: counts, flaky: flaky)
            ))
        members.append(("exit_code", .int(Int(exitCode.rawValue))))
        if let interrupted { members.append(("interrupted", .string(interrupted))) }
        members.append(("merged_from", .array(shards.map { .string($0.path) })))
        members.append(("tests", .array(sortedIDs.compactMap { tests[$0]?.entry })))
        members.append(("deselected", .array(sortedDeselected.compactMap { deselected[$0] })))
        return .object(members)
    }

    /// JUnit XML for a JSON report — merged or not — the same document `JUnitReporter`
    /// writes for the run. An unknown outcome is written as an `<error>`.
    package static func junit(from report: JSONValue) -> String {
        var cases: [JUnitCase] = []
        if case .array(let tests)? = report["tests"] {
            for test in tests {
                guard let id = test["id"]?.stringValue else { continue }
                let suite = test["suite"]?.stringValue ?? id.components(separatedBy: "::").first ?? id
                let name = id.hasPrefix(suite + "::") ? String(id.dropFirst(suite.count + 2)) : id
                var values: [(String, JSONValue)] = []
                if case .object(let members)? = test["values"] { values = members }
                cases.append(
                    JUnitCase(
                        suite: suite, name: name,
                        outcome: test["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:)) ?? .error,
                        duration: test["duration_s"]?.numberValue ?? 0,
                        message: test["message"]?.stringValue ?? "",
                        values: values,
                        stdout: test["stdout"]?.stringValue ?? "",
                        stderr: test["stderr"]?.stringValue ?? ""))
            }
        }
        return JUnitXML.document(
            cases: cases, duration: report["duration_s"]?.numberValue ?? 0,
            timestamp: report["started_at"]?.stringValue)
    }

    /// Whether `id` is the entry of a suite that failed to collect (`CollectionFailure.id`).
    static func isCollectionFailure(_ id: String) -> Bool { id.hasSuffix("::(discovery)") }

    /// `args` without `--shard K/N` or `--shard=K/N`, the one argument that differs by shard.
    static func withoutShardArgument(_ args: [JSONValue]) -> [JSONValue] {
        var kept: [JSONValue] = []
        var skipNext = false
        for arg in args {
            if skipNext { skipNext = false; continue }
            if arg == .string("--shard") { skipNext = true; continue }
            if let text = arg.stringValue, text.hasPrefix("--shard=") { continue }
            kept.append(arg)
        }
        return kept
    }
}

/// One shard's report, checked and taken apart.
private struct ShardReport {
    var path: String
    var json: JSONValue
    var index: Int
    var total: Int
    var strategy: String
    var selectionCount: Int
    var fingerprint: String
    var seed: JSONValue
    var collected: Int
    var startedAt: Date
    var startedAtText: String
    var duration: Double
    var args: [JSONValue]
    var interrupted: String?
    var tests: [(id: String, outcome: Outcome, entry: JSONValue)]
    var deselected: [(id: String, filter: String?, entry: JSONValue)]

    init(path: String, json: JSONValue) throws(ReportMergeError) {
        guard case .object = json else {
            throw .wrongSchema(path: path, found: json.typeName)
        }
        guard let schema = json["schema"]?.stringValue, schema == ReportMerger.schema else {
            throw .wrongSchema(path: path, found: json["schema"].map { $0.jsonText } ?? "no \"schema\"")
        }
        func malformed(_ problem: String) -> ReportMergeError { .malformed(path: path, problem: problem) }
        func int(_ value: JSONValue?, _ name: String) throws(ReportMergeError) -> Int {
            guard case .int(let number)? = value else { throw malformed("\(name) must be an integer") }
            return number
        }

        guard let shard = json["shard"] else { throw .notAShardReport(path: path) }
        guard case .object = shard else { throw malformed("\"shard\" must be an object") }
        index = try int(shard["index"], "shard.index")
        total = try int(shard["total"], "shard.total")
        guard total >= 1, (1...total).contains(index) else {
            throw malformed("shard \(index)/\(total) is not a shard: expected K/N with 1 ≤ K ≤ N")
        }
        guard let strategy = shard["strategy"]?.stringValue, ShardStrategy(rawValue: strategy) != nil else {
            throw malformed("shard.strategy must be one of \(ShardStrategy.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
        }
        self.strategy = strategy
        selectionCount = try int(shard["selection"]?["count"], "shard.selection.count")
        guard let fingerprint = shard["selection"]?["fingerprint"]?.stringValue, fingerprint.count == 16,
            fingerprint.utf8.allSatisfy({
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            })
        else { throw malformed("shard.selection.fingerprint must be 16 lowercase hex digits") }
        self.fingerprint = fingerprint

        guard let seed = json["seed"], case .int = seed else { throw malformed("\"seed\" must be an integer") }
        self.seed = seed
        collected = try int(json["summary"]?["collected"], "summary.collected")
        guard let startedAtText = json["started_at"]?.stringValue, let startedAt = ReportMerger.parseTimestamp(startedAtText) else {
            throw malformed("\"started_at\" must be an ISO 8601 time such as 2026-01-01T00:00:00Z")
        }
        self.startedAtText = startedAtText
        self.startedAt = startedAt
        guard let duration = json["duration_s"]?.numberValue, duration.isFinite else { throw malformed("\"duration_s\" must be a number") }
        self.duration = duration
        switch json["args"] {
        case nil: args = []
        case .array(let elements)?: args = elements
        default: throw malformed("\"args\" must be an array")
        }
        switch json["interrupted"] {
        case nil, .null?: interrupted = nil
        case .string(let signal)?: interrupted = signal
        default: throw malformed("\"interrupted\" must be a string")
        }

        guard case .array(let testEntries)? = json["tests"] else { throw malformed("\"tests\" must be an array") }
        var tests: [(id: String, outcome: Outcome, entry: JSONValue)] = []
        var seen = Set<String>()
        for (position, entry) in testEntries.enumerated() {
            guard let id = entry["id"]?.stringValue else { throw malformed("tests[\(position)] has no string \"id\"") }
            guard let outcomeText = entry["outcome"]?.stringValue, let outcome = Outcome(rawValue: outcomeText) else {
                throw malformed("test '\(id)' has no known \"outcome\" (one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard seen.insert(id).inserted else { throw malformed("test '\(id)' is listed twice") }
            tests.append((id, outcome, entry))
        }
        self.tests = tests

        var deselected: [(id: String, filter: String?, entry: JSONValue)] = []
        switch json["deselected"] {
        case nil: break
        case .array(let entries)?:
            for (position, entry) in entries.enumerated() {
                guard let id = entry["id"]?.stringValue, entry["reason"]?.stringValue != nil else {
                    throw malformed("deselected[\(position)] must have a string \"id\" and \"reason\"")
                }
                // `filter` names the filter that left the test out; reports of mlrun before
                // 0.2 have none, and then no entry counts as another shard's.
                let filter = entry["filter"]?.stringValue
                if entry["filter"] != nil, filter.flatMap(PlanFilter.init(rawValue:)) == nil {
                    throw malformed(
                        "deselected[\(position)].filter must be one of \(PlanFilter.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
                }
                deselected.append((id, filter, entry))
            }
        default: throw malformed("\"deselected\" must be an array")
        }
        self.deselected = deselected
        self.path = path
        self.json = json
    }
}

extension ReportMerger {
    /// Reads an ISO 8601 time with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// Why shard reports cannot be merged; every message names the report(s) concerned.
package enum ReportMergeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No report was given.
    case noReports
    /// The file is not an mlrun JSON report of a known schema; `found` is what it holds instead.
    case wrongSchema(path: String, found: String)
    /// An mlrun report with a field missing or of the wrong type.
    case malformed(path: String, problem: String)
    /// A report without `shard`: not written by a `--shard` run.
    case notAShardReport(path: String)
    /// Two reports whose selections before sharding differ.
    case differentSelection(path: String, fingerprint: String, otherPath: String, otherFingerprint: String)
    /// Two reports cut into different numbers of shards.
    case differentTotal(path: String, total: Int, otherPath: String, otherTotal: Int)
    /// Two reports sharded by different strategies.
    case differentStrategy(path: String, strategy: String, otherPath: String, otherStrategy: String)
    /// Two reports run with different seeds.
    case differentSeed(path: String, seed: JSONValue, otherPath: String, otherSeed: JSONValue)
    /// Two reports that collected different numbers of tests.
    case differentCollection(path: String, collected: Int, otherPath: String, otherCollected: Int)
    /// Two reports of the same shard.
    case duplicateShard(index: Int, total: Int, path: String, otherPath: String)
    /// Shards without a report, 1-based, ascending.
    case missingShards(missing: [Int], total: Int)
    /// A test that ran in two shards.
    case duplicateTest(id: String, path: String, otherPath: String)
    /// The shards' tests together are not the selection they were cut from.
    case wrongTests(count: Int, expectedCount: Int, fingerprint: String, expectedFingerprint: String)

    private static let oneRun = "merge only the shards of one run"

    /// The message, naming the reports concerned and what to do.
    package var description: String {
        switch self {
        case .noReports:
            return "no reports to merge; pass the JSON reports of every shard of one run"
        case .wrongSchema(let path, let found):
            return "\(path) is not an mlrun JSON report (expected \"schema\": \"\(ReportMerger.schema)\", found \(found))"
        case .malformed(let path, let problem):
            return "\(path) is not a valid mlrun report: \(problem)"
        case .notAShardReport(let path):
            return "\(path) is not a shard report (it has no \"shard\" object); merge-reports joins the reports of the runs of one `--shard K/N` set"
        case .differentSelection(let path, let fingerprint, let otherPath, let otherFingerprint):
            return
                "report \(path) comes from a different selection (fingerprint \(fingerprint)) than \(otherPath) (\(otherFingerprint)); \(Self.oneRun)"
        case .differentTotal(let path, let total, let otherPath, let otherTotal):
            return "report \(path) is one of \(total) shards, but \(otherPath) is one of \(otherTotal); \(Self.oneRun)"
        case .differentStrategy(let path, let strategy, let otherPath, let otherStrategy):
            return "report \(path) was sharded by \(strategy), but \(otherPath) by \(otherStrategy); \(Self.oneRun)"
        case .differentSeed(let path, let seed, let otherPath, let otherSeed):
            return "report \(path) ran with seed \(seed.jsonText), but \(otherPath) with seed \(otherSeed.jsonText); \(Self.oneRun)"
        case .differentCollection(let path, let collected, let otherPath, let otherCollected):
            return "report \(path) collected \(collected) tests, but \(otherPath) collected \(otherCollected); \(Self.oneRun)"
        case .duplicateShard(let index, let total, let path, let otherPath):
            return "\(otherPath) and \(path) are both shard \(index)/\(total); pass each shard's report once"
        case .missingShards(let missing, let total):
            let list = missing.map { "\($0)/\(total)" }.joined(separator: ", ")
            return
                "missing the report\(missing.count == 1 ? "" : "s") of shard\(missing.count == 1 ? "" : "s") \(list); pass the reports of all \(total) shards"
        case .duplicateTest(let id, let path, let otherPath):
            return
                "test '\(id)' ran in both \(otherPath) and \(path); the shards overlap (with --shard-by duration, every shard must read the same .mlrun/durations.json)"
        case .wrongTests(let count, let expectedCount, let fingerprint, let expectedFingerprint):
            if count != expectedCount {
                return "the shards ran \(count) tests in all, but their run selected \(expectedCount); \(Self.oneRun)"
            }
            return
                "the shards ran \(count) tests, but not the ones their run selected (fingerprint \(fingerprint), expected \(expectedFingerprint)); \(Self.oneRun)"
        }
    }
}
