import Foundation
import MLRunCore
import MLRunTestSupport

/// Plans and event logs for the runner's tests.
enum Plans {
    /// A suite named `name` whose tests are `tests`, each `"name"` or `"name:marker:marker"`;
    /// running one passes (the runner's tests decide outcomes through their launcher).
    static func suite(_ name: String, _ tests: [String], collectError: String? = nil) -> ScriptedSuite {
        ScriptedSuite(
            name: name,
            scripts: tests.map { spec in
                let parts = spec.split(separator: ":").map(String.init)
                return .init(parts[0], markers: parts.dropFirst().map { Marker($0) })
            }, collectError: collectError)
    }

    /// The plan that selects every test of `suites`, in order.
    static func plan(_ suites: [any Suite], selection: Selection = Selection()) async throws -> Plan {
        var collections: [(suite: any Suite, result: Result<[TestCase], SuiteError>)] = []
        for suite in suites {
            do {
                collections.append((suite, .success(try await suite.collect())))
            } catch {
                collections.append((suite, .failure(error)))
            }
        }
        return try Planner.plan(
            collections: collections, selection: selection, registry: MarkerRegistry(declared: []),
            strictMarkers: false)
    }
}

/// Collects events from the runner's callback (which it calls from one task at a time).
final class EventLog: @unchecked Sendable {
    private(set) var events: [RunEvent] = []

    func append(_ event: RunEvent) { events.append(event) }

    /// The `testFinished` results, in order.
    var finished: [TestResult] { events.compactMap { if case .testFinished(let result) = $0 { result } else { nil } } }
    /// The ids of `testStarted` events, in order.
    var started: [String] { events.compactMap { if case .testStarted(let test) = $0 { test.id.name } else { nil } } }
    /// The results by test name.
    var byName: [String: TestResult] { Dictionary(finished.map { ($0.id.name, $0) }, uniquingKeysWith: { first, _ in first }) }
}
