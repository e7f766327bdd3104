import Foundation
import MLRunCore
import MLRunReporters
import MLRunTestSupport
import Testing

@Suite struct JSONReporterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var reason: DeselectionReason
        var text: String
        var filter: String
        var testDescription: String { filter }
    }

    static let cases: [Case] = [
        Case(reason: .notNamedByIDs, text: "not named by the ids given", filter: "ids"),
        Case(reason: .keyword(expression: "rolling and not naive"), text: "deselected by -k 'rolling and not naive'", filter: "keyword"),
        Case(reason: .marker(expression: "not slow"), text: "deselected by -m 'not slow'", filter: "marker"),
        Case(
            reason: .unchanged(source: "--changed (HEAD vs working tree)", patterns: ["src/**", "tests/a.py"]),
            text: "not affected by --changed (HEAD vs working tree): no changed file matches 'src/**', 'tests/a.py'", filter: "changed"),
        Case(reason: .passedLastTime, text: "passed last time (--lf)", filter: "last_failed"),
        Case(
            reason: .otherShard(try! ShardSpec(index: 2, total: 4, strategy: .duration)), text: "in another shard (2/4 by duration)",
            filter: "shard"),
    ]

    /// Each deselection is written with its reason as text and the filter that made it.
    @Test(arguments: cases)
    func deselectionsCarryTheirReasonAndFilter(_ test: Case) throws {
        let folder = try SuiteHarness.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("report.json")
        let reporter = JSONReporter(url: url)
        let id = TestID(suite: "s", name: "t")
        reporter.handle(
            .runStarted(
                RunHeader(
                    configFile: URL(fileURLWithPath: "/repo/runner.toml"), seed: 1, args: [],
                    startedAt: Date(timeIntervalSince1970: 0), collected: 1, selected: 0,
                    deselected: [Deselection(id: id, reason: test.reason)], collectOnly: false, tests: [])))
        reporter.handle(
            .runFinished(
                RunSummary(
                    collected: 1, selected: 0, deselected: 1, counts: [:], duration: 0, interruptedBy: nil,
                    exitCode: .noTestsSelected)))
        #expect(reporter.finish() == nil)
        let report = try JSONValue.parse(String(contentsOf: url, encoding: .utf8))
        #expect(report["deselected"] == .array([.object([("id", "s::t"), ("reason", .string(test.text)), ("filter", .string(test.filter))])]))
        #expect(test.reason.text == test.text)
        #expect(test.reason.filter.rawValue == test.filter)
    }

    /// Every filter the planner has is one a report can name.
    @Test func everyFilterHasAReason() {
        #expect(Set(Self.cases.map(\.filter)) == Set(PlanFilter.allCases.map(\.rawValue)))
    }
}
