import Foundation
import MLRunCore
import MLRunReporters
import Testing

/// Four synthetic shard reports of one run: ten tests in two suites, one real deselection,
/// and a suite that failed to collect (reported by every shard).
struct ShardedRun {
    static let total = 4
    static let seed = 12345
    static let outcomes: [(id: TestID, outcome: Outcome)] = {
        let a: [(id: TestID, outcome: Outcome)] = (0..<6).map { (TestID(suite: "a", name: "t\($0)"), $0 == 2 ? Outcome.failed : .passed) }
        let b: [(id: TestID, outcome: Outcome)] = (0..<4).map { (TestID(suite: "b", name: "case::\($0)"), $0 == 1 ? Outcome.skipped : .passed) }
        return a + b
    }()
    static let selected = outcomes.map(\.id)
    static let fingerprint = ShardInfo.fingerprint(of: selected.map(\.description))
    static let collectionFailure = TestResult(
        id: TestID(suite: "c", name: "(discovery)"), plugin: "command", markers: [],
        outcome: .error, message: "discovery exited with status 2")
    static let shardOf = ShardAssignment.shards(ids: selected, total: total, strategy: .hash, durations: [:])

    static func result(_ id: TestID, _ outcome: Outcome) -> TestResult {
        TestResult(
            id: id, plugin: "command", markers: [Marker("unit")], outcome: outcome,
            message: outcome == .failed ? "expected 1, got 2" : "", duration: Double(id.name.count) / 8,
            values: [("value", .double(0.5))])
    }

    static func path(_ index: Int) -> String { "shard-\(index).json" }

    /// Shard `index`'s report as mlrun writes it.
    static func report(_ index: Int) -> JSONValue {
        let mine = outcomes.filter { shardOf[$0.id] == index }
        let tests = ([collectionFailure] + mine.map { result($0.id, $0.outcome) }).sorted { $0.id < $1.id }
        var counts: [Outcome: Int] = [:]
        for test in tests { counts[test.outcome, default: 0] += 1 }
        var deselected: [(id: String, reason: DeselectionReason)] = [("a::slow", .marker(expression: "not slow"))]
        for id in selected where shardOf[id] != index {
            deselected.append((id.description, .otherShard(try! ShardSpec(index: index, total: total))))
        }
        deselected.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        return .object([
            ("schema", "mlrun-report/1"),
            ("version", "0.1.0"),
            ("started_at", .string("2026-01-01T00:00:0\(9 - index * 2)Z")),
            ("duration_s", .double(Double(index) * 1.5)),
            ("seed", .int(seed)),
            ("args", .array(["-m", "not slow", "--shard", .string("\(index)/\(total)")])),
            ("config", "/repo/runner.toml"),
            ("summary", ReportJSON.summary(collected: 11, selected: mine.count, deselected: deselected.count, counts: counts)),
            ("exit_code", .int(counts[.failed] != nil || counts[.error] != nil ? 1 : 0)),
            (
                "shard",
                .object([
                    ("index", .int(index)), ("total", .int(total)), ("strategy", "hash"),
                    ("selection", .object([("count", .int(selected.count)), ("fingerprint", .string(fingerprint))])),
                ])
            ),
            ("tests", .array(tests.map(ReportJSON.test))),
            (
                "deselected",
                .array(
                    deselected.map {
                        .object([("id", .string($0.id)), ("reason", .string($0.reason.text)), ("filter", .string($0.reason.filter.rawValue))])
                    })
            ),
        ])
    }

    static var reports: [(path: String, json: JSONValue)] { (1...total).map { (path($0), report($0)) } }
}

extension JSONValue {
    /// The value with the member at `path` replaced (or removed, for nil).
    func setting(_ path: [String], to value: JSONValue?) -> JSONValue {
        guard let key = path.first, case .object(var members) = self else { return value ?? self }
        let index = members.firstIndex { $0.0 == key }
        if path.count == 1 {
            if let index {
                if let value { members[index].1 = value } else { members.remove(at: index) }
            } else if let value {
                members.append((key, value))
            }
        } else if let index {
            members[index].1 = members[index].1.setting(Array(path.dropFirst()), to: value)
        }
        return .object(members)
    }
}

@Suite struct ReportMergerTests {
    @Test func fingerprintIsFNV1aOfTheSortedIdsAsSixteenHexDigits() {
        #expect(ShardInfo.fingerprint(of: ["s::b", "s::a"]) == ShardInfo.fingerprint(of: ["s::a", "s::b"]))
        #expect(ShardInfo.fingerprint(of: ["s::a", "s::b"]) == String(Seeds.fnv1a64("s::a\ns::b"), radix: 16).leftPadded(to: 16))
        // FNV-1a 64 of "" is the offset basis.
        #expect(ShardInfo.fingerprint(of: []) == "cbf29ce484222325")
        #expect(ShardInfo.fingerprint(of: ["a"]) == "af63dc4c8601ec8c")
    }

    @Test func mergesFourShardsIntoTheUnshardedReport() throws {
        let results = ShardedRun.outcomes.map { ShardedRun.result($0.id, $0.outcome) } + [ShardedRun.collectionFailure]
        let expected: JSONValue = .object([
            ("schema", "mlrun-report/1"),
            ("version", "0.1.0"),
            ("started_at", "2026-01-01T00:00:01Z"),
            ("duration_s", 6.0),
            ("seed", .int(ShardedRun.seed)),
            ("args", .array(["-m", "not slow"])),
            ("config", "/repo/runner.toml"),
            ("summary", ReportJSON.summary(collected: 11, selected: 10, deselected: 1, counts: [.passed: 8, .failed: 1, .skipped: 1, .error: 1])),
            ("exit_code", 1),
            ("merged_from", .array(["shard-1.json", "shard-2.json", "shard-3.json", "shard-4.json"])),
            ("tests", .array(results.sorted { $0.id < $1.id }.map(ReportJSON.test))),
            ("deselected", .array([.object([("id", "a::slow"), ("reason", "deselected by -m 'not slow'"), ("filter", "marker")])])),
        ])
        let merged = try ReportMerger.merge(ShardedRun.reports)
        #expect(merged == expected)
        // The order the reports are given in does not matter.
        #expect(try ReportMerger.merge(ShardedRun.reports.reversed()) == expected)
        #expect(merged["shard"] == nil)
    }

    /// Shard deselections are recognised by their `filter`, never by their text.
    @Test func shardDeselectionsAreFoundByTheirFilter() throws {
        let lookalike: JSONValue = .object([("id", "a::gone"), ("reason", "in another shard (9/9 by hash)"), ("filter", "marker")])
        let renamed: JSONValue = .object([("id", "a::other"), ("reason", "some wording of a later version"), ("filter", "shard")])
        let merged = try ReportMerger.merge(
            Self.replacing(1) { report in
                guard case .array(let entries)? = report["deselected"] else { return report }
                return report.setting(["deselected"], to: .array(entries + [lookalike, renamed]))
            })
        guard case .array(let deselected)? = merged["deselected"] else { Issue.record("no deselected array"); return }
        #expect(deselected.compactMap { $0["id"]?.stringValue } == ["a::gone", "a::slow"])
        #expect(merged["summary"]?["deselected"] == 2)
    }

    @Test func anUnknownFilterIsRefused() {
        let strange: JSONValue = .object([("id", "a::x"), ("reason", "?"), ("filter", "mood")])
        #expect(throws: ReportMergeError.self) {
            try ReportMerger.merge(
                Self.replacing(2) { report in
                    guard case .array(let entries)? = report["deselected"] else { return report }
                    return report.setting(["deselected"], to: .array(entries + [strange]))
                })
        }
    }

    @Test func flakyTestsAreCounted() throws {
        let flakyID = ShardedRun.selected[3]
        let shard = ShardedRun.shardOf[flakyID]!
        let merged = try ReportMerger.merge(
            Self.replacing(shard) { report in
                guard case .array(let tests)? = report["tests"] else { return report }
                return report.setting(
                    ["tests"], to: .array(tests.map { $0["id"] == .string(flakyID.description) ? $0.setting(["flaky"], to: true) : $0 }))
            })
        #expect(merged["summary"]?["flaky"] == 1)
        #expect(try ReportMerger.merge(ShardedRun.reports)["summary"]?["flaky"] == nil)
    }

    @Test func everyShardTakesPartInTheTestData() {
        #expect(Set(ShardedRun.shardOf.values) == Set(1...ShardedRun.total))
    }

    @Test func exitCodesFollowTheMergedOutcomes() throws {
        // No failures: 0, but the collection failure is an error, so remove it first.
        var reports = ShardedRun.reports.map { report in
            (
                path: report.path,
                json: report.json.setting(
                    ["tests"],
                    to: .array(
                        (report.json["tests"].flatMap {
                            if case .array(let tests) = $0 { return tests } else { return nil }
                        } ?? []).filter { $0["id"] != "c::(discovery)" && $0["outcome"] != "failed" }.map { $0 }))
            )
        }
        // Drop the failing test from the selection, too.
        let passing = ShardedRun.outcomes.filter { $0.outcome != .failed }.map(\.id.description)
        reports = reports.map {
            (
                $0.path,
                $0.json.setting(
                    ["shard", "selection"],
                    to: .object([
                        ("count", .int(passing.count)), ("fingerprint", .string(ShardInfo.fingerprint(of: passing))),
                    ]))
            )
        }
        #expect(try ReportMerger.merge(reports)["exit_code"] == 0)
        // An interrupted shard makes the merged run interrupted.
        reports[2].json = reports[2].json.setting(["interrupted"], to: "SIGTERM")
        let interrupted = try ReportMerger.merge(reports)
        #expect(interrupted["exit_code"] == 2)
        #expect(interrupted["interrupted"] == "SIGTERM")
    }

    @Test func nothingSelectedIsExitFive() throws {
        let empty = ShardInfo.fingerprint(of: [])
        let reports: [(path: String, json: JSONValue)] = (1...2).map { index in
            (
                "s\(index).json",
                ShardedRun.report(index)
                    .setting(["tests"], to: .array([]))
                    .setting(["shard", "total"], to: 2)
                    .setting(["shard", "selection"], to: .object([("count", 0), ("fingerprint", .string(empty))]))
            )
        }
        let merged = try ReportMerger.merge(reports)
        #expect(merged["exit_code"] == 5)
        #expect(merged["summary"]?["selected"] == 0)
    }

    /// A refusal: the reports to merge, and the message expected.
    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var reports: [(path: String, json: JSONValue)]
        var message: String
        var testDescription: String { name }
    }

    static func replacing(_ index: Int, _ transform: (JSONValue) -> JSONValue) -> [(path: String, json: JSONValue)] {
        ShardedRun.reports.map { $0.path == ShardedRun.path(index) ? ($0.path, transform($0.json)) : $0 }
    }

    static var refusals: [Refusal] {
        let reports = ShardedRun.reports
        let fingerprint = ShardedRun.fingerprint
        let otherSelection = ShardInfo.fingerprint(of: ["x::y"])
        return [
            Refusal(name: "nothing to merge", reports: [], message: "no reports to merge; pass the JSON reports of every shard of one run"),
            Refusal(
                name: "not an object", reports: [("list.json", .array([1, 2]))],
                message: "list.json is not an mlrun JSON report (expected \"schema\": \"mlrun-report/1\", found array)"),
            Refusal(
                name: "wrong schema", reports: replacing(2) { $0.setting(["schema"], to: "pytest-report/2") },
                message: "shard-2.json is not an mlrun JSON report (expected \"schema\": \"mlrun-report/1\", found \"pytest-report/2\")"),
            Refusal(
                name: "no schema", reports: replacing(1) { $0.setting(["schema"], to: nil) },
                message: "shard-1.json is not an mlrun JSON report (expected \"schema\": \"mlrun-report/1\", found no \"schema\")"),
            Refusal(
                name: "not a shard report", reports: replacing(3) { $0.setting(["shard"], to: nil) },
                message:
                    "shard-3.json is not a shard report (it has no \"shard\" object); merge-reports joins the reports of the runs of one `--shard K/N` set"
            ),
            Refusal(
                name: "a single unsharded report", reports: [("A.json", ShardedRun.report(1).setting(["shard"], to: nil))],
                message:
                    "A.json is not a shard report (it has no \"shard\" object); merge-reports joins the reports of the runs of one `--shard K/N` set"),
            Refusal(
                name: "different selection",
                reports: replacing(2) { $0.setting(["shard", "selection", "fingerprint"], to: .string(otherSelection)) },
                message:
                    "report shard-2.json comes from a different selection (fingerprint \(otherSelection)) than shard-1.json (\(fingerprint)); merge only the shards of one run"
            ),
            Refusal(
                name: "different total", reports: replacing(4) { $0.setting(["shard", "total"], to: 5) },
                message: "report shard-4.json is one of 5 shards, but shard-1.json is one of 4; merge only the shards of one run"),
            Refusal(
                name: "different strategy", reports: replacing(2) { $0.setting(["shard", "strategy"], to: "duration") },
                message: "report shard-2.json was sharded by duration, but shard-1.json by hash; merge only the shards of one run"),
            Refusal(
                name: "different seed", reports: replacing(3) { $0.setting(["seed"], to: 7) },
                message: "report shard-3.json ran with seed 7, but shard-1.json with seed 12345; merge only the shards of one run"),
            Refusal(
                name: "different collection", reports: replacing(2) { $0.setting(["summary", "collected"], to: 12) },
                message: "report shard-2.json collected 12 tests, but shard-1.json collected 11; merge only the shards of one run"),
            Refusal(
                name: "duplicate shard", reports: reports + [("copy-of-2.json", ShardedRun.report(2))],
                message: "shard-2.json and copy-of-2.json are both shard 2/4; pass each shard's report once"),
            Refusal(
                name: "one shard missing", reports: reports.filter { $0.path != ShardedRun.path(3) },
                message: "missing the report of shard 3/4; pass the reports of all 4 shards"),
            Refusal(
                name: "two shards missing", reports: [reports[0], reports[2]],
                message: "missing the reports of shards 2/4, 4/4; pass the reports of all 4 shards"),
            Refusal(
                name: "test in two shards",
                reports: replacing(1) { report in
                    let extra = ShardedRun.result(ShardedRun.selected.first { ShardedRun.shardOf[$0] == 2 }!, .passed)
                    guard case .array(let tests)? = report["tests"] else { return report }
                    return report.setting(["tests"], to: .array(tests + [ReportJSON.test(extra)]))
                },
                message:
                    "test '\(ShardedRun.selected.first { ShardedRun.shardOf[$0] == 2 }!)' ran in both shard-1.json and shard-2.json; the shards overlap (with --shard-by duration, every shard must read the same .mlrun/durations.json)"
            ),
            Refusal(
                name: "a test missing",
                reports: replacing(4) { report in
                    guard case .array(let tests)? = report["tests"] else { return report }
                    return report.setting(["tests"], to: .array(tests.filter { $0["id"] == "c::(discovery)" }))
                },
                message:
                    "the shards ran \(10 - ShardedRun.shardOf.values.filter { $0 == 4 }.count) tests in all, but their run selected 10; merge only the shards of one run"
            ),
            Refusal(
                name: "malformed test",
                reports: replacing(2) { report in
                    report.setting(["tests"], to: .array([.object([("id", "a::x"), ("outcome", "exploded")])]))
                },
                message:
                    "shard-2.json is not a valid mlrun report: test 'a::x' has no known \"outcome\" (one of passed, failed, skipped, error, crashed, timeout, collected)"
            ),
            Refusal(
                name: "bad shard index", reports: replacing(2) { $0.setting(["shard", "index"], to: 9) },
                message: "shard-2.json is not a valid mlrun report: shard 9/4 is not a shard: expected K/N with 1 ≤ K ≤ N"),
            Refusal(
                name: "bad fingerprint", reports: replacing(1) { $0.setting(["shard", "selection", "fingerprint"], to: "xyz") },
                message: "shard-1.json is not a valid mlrun report: shard.selection.fingerprint must be 16 lowercase hex digits"),
            Refusal(
                name: "no tests array", reports: replacing(1) { $0.setting(["tests"], to: nil) },
                message: "shard-1.json is not a valid mlrun report: \"tests\" must be an array"),
        ]
    }

    @Test(arguments: refusals)
    func refuses(_ refusal: Refusal) {
        #expect {
            try ReportMerger.merge(refusal.reports)
        } throws: { error in
            let message = (error as? ReportMergeError)?.description
            if message != refusal.message { Issue.record("got: \(message ?? "\(error)")") }
            return message == refusal.message
        }
    }

    @Test func argsAreShardOnesWithoutTheShardArgument() throws {
        let args: JSONValue = .array(["-m", "not slow", "--shard", "1/4", "--shard-by", "hash", "--shard=1/4", "-x"])
        let merged = try ReportMerger.merge(Self.replacing(1) { $0.setting(["args"], to: args) })
        #expect(merged["args"] == .array(["-m", "not slow", "--shard-by", "hash", "-x"]))
    }
}
