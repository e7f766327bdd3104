import MLRunCore
import MLRunTestSupport
import Testing

@Suite struct PlannerTests {
    let suites: [any Suite] = [
        ScriptedSuite(
            name: "feat", markers: [Marker("unit")],
            scripts: [
                .init("test_scale"),
                .init("test_big", markers: [Marker("slow")]),
                .init("test_gpu", markers: [Marker("gpu"), Marker("device", kwargs: ["serial": .string("1")])]),
            ]),
        ScriptedSuite(name: "data", scripts: [.init("age::between"), .init("age::nullable")]),
        ScriptedSuite(name: "broken", scripts: [], collectError: "discovery exited with status 2"),
    ]

    func plan(_ selection: Selection, strict: Bool = false, declared: [(String, String)] = []) async throws(PlanError) -> Plan {
        var collections: [(suite: any Suite, result: Result<[TestCase], SuiteError>)] = []
        for suite in suites {
            do throws(SuiteError) {
                collections.append((suite, .success(try await suite.collect())))
            } catch {
                collections.append((suite, .failure(error)))
            }
        }
        return try Planner.plan(
            collections: collections, selection: selection,
            registry: MarkerRegistry(declared: declared.map { (name: $0.0, description: $0.1) }), strictMarkers: strict)
    }

    func ids(_ plan: Plan) -> [String] { plan.selected.map(\.id.description) }

    @Test func selectsEverythingWithoutFilters() async throws {
        let plan = try await plan(Selection())
        #expect(ids(plan) == ["feat::test_scale", "feat::test_big", "feat::test_gpu", "data::age::between", "data::age::nullable"])
        #expect(plan.collected == 5)
        #expect(plan.collectionFailures.map(\.id.description) == ["broken::(discovery)"])
        #expect(plan.selected[0].markers == [Marker("unit")])
    }

    @Test func markerExpressions() async throws {
        let notSlow = try await plan(Selection(markerExpression: try MatchExpression.parse("unit and not slow"), markerText: "unit and not slow"))
        #expect(ids(notSlow) == ["feat::test_scale", "feat::test_gpu"])
        #expect(notSlow.deselected.first?.reason == .marker(expression: "unit and not slow"))
        let device = try await plan(Selection(markerExpression: try MatchExpression.parse("device(serial='1')")))
        #expect(ids(device) == ["feat::test_gpu"])
        let otherDevice = try await plan(Selection(markerExpression: try MatchExpression.parse("device(serial='2')")))
        #expect(ids(otherDevice).isEmpty)
    }

    /// A pytest project's `-m` in its addopts: applied without `-m`, replaced by any `-m`.
    @Test func aSuitesOwnSelectionAppliesOnlyWithoutMinusM() async throws {
        let own = ScriptedSuite(
            name: "py", scripts: [.init("test_fast"), .init("test_prop", markers: [Marker("property")])], defaultSelection: "not property")
        func plan(_ selection: Selection, _ suite: any Suite = own) async throws -> Plan {
            try Planner.plan(
                collections: [(suite, .success(try await suite.collect()))], selection: selection, registry: MarkerRegistry(declared: []),
                strictMarkers: false)
        }
        let plain = try await plan(Selection())
        #expect(ids(plain) == ["py::test_fast"])
        #expect(plain.deselected.map(\.reason) == [.marker(expression: "not property")])
        #expect(ids(try await plan(Selection(keyword: try MatchExpression.parse("test")))) == ["py::test_fast"])
        var minusM = Selection(markerExpression: try MatchExpression.parse("property"), markerText: "property")
        minusM.suiteDefaults = false
        #expect(ids(try await plan(minusM)) == ["py::test_prop"])
        var everything = Selection()
        everything.suiteDefaults = false
        #expect(ids(try await plan(everything)) == ["py::test_fast", "py::test_prop"])
        let broken = ScriptedSuite(name: "py", scripts: [.init("test_fast")], defaultSelection: "not (")
        let failed = try await plan(Selection(), broken)
        #expect(failed.collectionFailures.first?.message.hasPrefix("the suite's own -m, not (, is not a marker expression: at column 6") == true)
    }

    @Test func keywordExpressions() async throws {
        let plan = try await plan(Selection(keyword: try MatchExpression.parse("AGE and not nullable or SLOW")))
        #expect(ids(plan) == ["feat::test_big", "data::age::between"])
    }

    @Test func idsAndPrefixes() async throws {
        #expect(ids(try await plan(Selection(ids: ["data"]))) == ["data::age::between", "data::age::nullable"])
        #expect(ids(try await plan(Selection(ids: ["data::age"]))) == ["data::age::between", "data::age::nullable"])
        #expect(ids(try await plan(Selection(ids: ["feat::"]))).count == 3)
        #expect(ids(try await plan(Selection(ids: ["feat::test_big", "data::age::nullable"]))) == ["feat::test_big", "data::age::nullable"])
        // `feat::test_b` is not a `::`-separated prefix of `feat::test_big`.
        await #expect(throws: PlanError.self) { try await self.plan(Selection(ids: ["feat::test_b"])) }
        // Ids restrict which collection failures are reported.
        #expect(try await plan(Selection(ids: ["data"])).collectionFailures.isEmpty)
        #expect(try await plan(Selection(ids: ["broken"])).collectionFailures.count == 1)
    }

    @Test func strictMarkersAcceptNamesInMinusMThatASuitesFrameworkDeclares() async throws {
        final class Declaring: Suite {
            let name = "py"
            let plugin = "pytest"
            let markers: [Marker] = []
            let paths: [String] = []
            let declaredMarkers = ["network"]
            func collect() async throws(SuiteError) -> [TestCase] { [TestCase(name: "t", markers: [Marker("network")])] }
            func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict { .passed }
        }
        func plan(_ text: String) throws(PlanError) -> Plan {
            let suite = Declaring()
            var selection = Selection()
            selection.markerExpression = try? MatchExpression.parse(text)
            return try Planner.plan(
                collections: [(suite, .success([TestCase(name: "t", markers: [Marker("network")])]))], selection: selection,
                registry: MarkerRegistry(declared: []), strictMarkers: true)
        }
        #expect(try plan("not network").selected.isEmpty)
        #expect(throws: PlanError.self) { try plan("flaky") }
    }

    @Test func strictMarkersRejectUndeclaredTestMarkers() async throws {
        await #expect(throws: PlanError.self) { try await self.plan(Selection(), strict: true) }
        let plan = try await plan(Selection(), strict: true, declared: [("device", "a device")])
        #expect(plan.selected.count == 5)
    }

    func reasons(_ plan: Plan) -> [String: DeselectionReason] {
        Dictionary(uniqueKeysWithValues: plan.deselected.map { ($0.id.description, $0.reason) })
    }

    /// Each test is deselected by the first filter, in the fixed order, that leaves it out.
    @Test func filtersApplyInOrderAndTheFirstToRejectNamesTheReason() async throws {
        var selection = Selection(
            ids: ["feat"], keyword: try MatchExpression.parse("not scale"), keywordText: "not scale",
            markerExpression: try MatchExpression.parse("not gpu"), markerText: "not gpu")
        selection.changes = ChangeSelection(changed: ["nothing.txt"], configChanged: false, source: "--changed (HEAD vs working tree)")
        let plan = try await plan(selection)
        let why = reasons(plan)
        #expect(why["data::age::between"] == .notNamedByIDs)
        #expect(why["feat::test_scale"] == .keyword(expression: "not scale"))
        #expect(why["feat::test_gpu"] == .marker(expression: "not gpu"))
        // Neither the suite nor the test has paths: any change may affect it.
        #expect(ids(plan) == ["feat::test_big"])
        #expect(plan.selected[0].selectedBecause == "it has no paths, so any change may affect it: always selected")
        #expect(plan.deselected.map(\.reason.filter) == [.keyword, .marker, .ids, .ids])
    }

    @Test func unchangedTestsAreDeselectedWithThePatternsTheyHave() async throws {
        let suite = ScriptedSuite(
            name: "s", paths: ["src/**"], scripts: [.init(TestCase(name: "a", paths: ["tests/a.py"]), body: { _ in .passed }), .init("b")])
        var selection = Selection()
        selection.changes = ChangeSelection(changed: ["src/x.py"], configChanged: false, source: "--changed-since main")
        let plan = try Planner.plan(
            collections: [(suite, .success(try await suite.collect()))], selection: selection,
            registry: MarkerRegistry(declared: []), strictMarkers: false)
        #expect(ids(plan) == ["s::a", "s::b"])
        selection.changes = ChangeSelection(changed: ["docs/readme.md"], configChanged: false, source: "--changed-since main")
        let none = try Planner.plan(
            collections: [(suite, .success(try await suite.collect()))], selection: selection,
            registry: MarkerRegistry(declared: []), strictMarkers: false)
        #expect(reasons(none)["s::a"] == .unchanged(source: "--changed-since main", patterns: ["tests/a.py", "src/**"]))
        #expect(reasons(none)["s::b"] == .unchanged(source: "--changed-since main", patterns: ["src/**"]))
    }

    @Test func lastFailedKeepsOnlyWhatFailedAfterTheOtherFilters() async throws {
        var selection = Selection(markerExpression: try MatchExpression.parse("not slow"), markerText: "not slow")
        selection.lastFailed = .only(["feat::test_big", "data::age::nullable", "gone::test"])
        let plan = try await plan(selection)
        // test_big failed last time but -m removed it first.
        #expect(ids(plan) == ["data::age::nullable"])
        #expect(reasons(plan)["feat::test_big"] == .marker(expression: "not slow"))
        #expect(reasons(plan)["feat::test_scale"] == .passedLastTime)
        #expect(plan.notes.isEmpty)
    }

    @Test func lastFailedWithNothingRecordedRunsEverythingAndSaysSo() async throws {
        var selection = Selection()
        selection.lastFailed = .only(["gone::test"])
        let plan = try await plan(selection)
        #expect(plan.selected.count == 5)
        #expect(plan.notes == [.noTestFailedLastTime])
    }

    @Test func failedFirstMovesLastTimesFailuresToTheFront() async throws {
        var selection = Selection()
        selection.lastFailed = .first(["data::age::nullable", "feat::test_big"])
        #expect(
            ids(try await plan(selection)) == [
                "feat::test_big", "data::age::nullable", "feat::test_scale", "feat::test_gpu",
                "data::age::between",
            ])
    }

    @Test func theShardFilterComesLastAndRecordsTheWholeSelection() async throws {
        var selection = Selection(markerExpression: try MatchExpression.parse("not slow"), markerText: "not slow")
        let spec = try ShardSpec(index: 1, total: 2)
        selection.shard = ShardRequest(spec: spec, source: "CI_NODE_INDEX/CI_NODE_TOTAL")
        let plan = try await plan(selection)
        let whole = ["feat::test_scale", "feat::test_gpu", "data::age::between", "data::age::nullable"]
        #expect(plan.shard?.selectionCount == 4)
        #expect(plan.shard?.fingerprint == ShardInfo.fingerprint(of: whole))
        #expect(plan.shard?.source == "CI_NODE_INDEX/CI_NODE_TOTAL")
        let mine = whole.filter { id in
            let parts = id.components(separatedBy: "::")
            return ShardAssignment.hashShard(of: TestID(suite: parts[0], name: parts.dropFirst().joined(separator: "::")), total: 2) == 1
        }
        #expect(Set(ids(plan)) == Set(mine))
        for id in whole where !mine.contains(id) { #expect(reasons(plan)[id] == .otherShard(spec)) }
        #expect(reasons(plan)["feat::test_big"] == .marker(expression: "not slow"))
    }

    @Test func longestFirstOrdersByKnownDurationsWithTheMedianForUnknownOnes() async throws {
        var selection = Selection()
        selection.order = .longestFirst
        selection.durations = ["feat::test_scale": 1, "feat::test_big": 9, "data::age::between": 3]
        // Unknown tests count as the median known duration, 3 s; ties keep declared order.
        #expect(
            ids(try await plan(selection)) == [
                "feat::test_big", "feat::test_gpu", "data::age::between", "data::age::nullable",
                "feat::test_scale",
            ])
        selection.lastFailed = .first(["feat::test_scale"])
        #expect(ids(try await plan(selection)).first == "feat::test_scale")
    }
}
