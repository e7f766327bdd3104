import MLRunCore
import MLRunTestSupport
import Testing

@Suite struct PlannerTests {
    let suites: [any Suite] = [
        ScriptedSuite(name: "feat", markers: [Marker("unit")], scripts: [
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
        return try Planner.plan(collections: collections, selection: selection,
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

    @Test func strictMarkersRejectUndeclaredTestMarkers() async throws {
        await #expect(throws: PlanError.self) { try await self.plan(Selection(), strict: true) }
        let plan = try await plan(Selection(), strict: true, declared: [("device", "a device")])
        #expect(plan.selected.count == 5)
    }
}
