/// A test chosen to run, with everything the runner and reporters need to know about it.
public struct PlannedTest: Sendable {
    public var id: TestID
    /// The config table of its suite (`command`, …).
    public var plugin: String
    /// The suite's markers followed by the test's own, without repeats.
    public var markers: [Marker]
    /// The test as its suite discovered it.
    public var testCase: TestCase
    /// The index of its suite in `Plan.suites`.
    public var suiteIndex: Int
    /// Why a change filter selected it (`--changed`), for `--explain` and the report.
    public var selectedBecause: String?
}

/// A test left out of the run, and which filter left it out.
public struct Deselection: Sendable {
    public var id: TestID
    public var reason: String
}

/// A suite whose discovery failed: reported as one `error` test, `<suite>::(discovery)`.
public struct CollectionFailure: Sendable {
    public var suite: String
    public var plugin: String
    public var markers: [Marker]
    public var message: String

    /// The id under which the failure is reported.
    public var id: TestID { TestID(suite: suite, name: "(discovery)") }
}

/// What a run will do, decided before anything runs: the selected tests in run order (config
/// order of suites, then discovery order), the deselected ones with reasons, and the suites
/// that failed to collect.
public struct Plan: Sendable {
    public var suites: [any Suite]
    public var selected: [PlannedTest]
    public var deselected: [Deselection]
    public var collectionFailures: [CollectionFailure]
    /// How many tests were discovered in all.
    public var collected: Int

    public init(suites: [any Suite], selected: [PlannedTest], deselected: [Deselection], collectionFailures: [CollectionFailure], collected: Int) {
        self.suites = suites
        self.selected = selected
        self.deselected = deselected
        self.collectionFailures = collectionFailures
        self.collected = collected
    }
}

extension Plan {
    /// The plan with only the selected tests in `keep`; the others move to `deselected`
    /// with `reason` (e.g. which shard took them). Order is kept.
    public func restricted(to keep: Set<TestID>, reason: String) -> Plan {
        var copy = self
        copy.selected = selected.filter { keep.contains($0.id) }
        copy.deselected += selected.filter { !keep.contains($0.id) }.map { Deselection(id: $0.id, reason: reason) }
        return copy
    }

    /// The plan with the tests in `ids` moved to the front (`--ff`), otherwise in order.
    public func movingFirst(_ ids: Set<TestID>) -> Plan {
        var copy = self
        copy.selected = selected.filter { ids.contains($0.id) } + selected.filter { !ids.contains($0.id) }
        return copy
    }
}

/// Which shard of a sharded run this is, for the header and the report.
public struct ShardInfo: Sendable {
    public var spec: ShardSpec
    /// Where the shard came from when not `--shard`, e.g. `CI_NODE_INDEX/CI_NODE_TOTAL`.
    public var source: String?
    /// How many tests the whole selection (all shards together) has.
    public var selectionCount: Int
    /// Identifies the whole selection, so shard reports of different runs are not merged.
    public var fingerprint: String

    public init(spec: ShardSpec, source: String?, selectionCount: Int, fingerprint: String) {
        self.spec = spec
        self.source = source
        self.selectionCount = selectionCount
        self.fingerprint = fingerprint
    }
}
