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

/// A suite whose discovery failed: reported as one `error` test, `<suite>::(discovery)`.
public struct CollectionFailure: Sendable {
    public var suite: String
    public var plugin: String
    public var markers: [Marker]
    public var message: String

    /// The id under which the failure is reported.
    public var id: TestID { TestID(suite: suite, name: "(discovery)") }
}

/// What a run will do, decided before anything runs: the selected tests in the order they
/// start, the deselected ones with typed reasons, and the suites that failed to collect.
public struct Plan: Sendable {
    public var suites: [any Suite]
    public var selected: [PlannedTest]
    public var deselected: [Deselection]
    public var collectionFailures: [CollectionFailure]
    /// How many tests were discovered in all.
    public var collected: Int
    /// Set when the run is one shard of a larger selection.
    public var shard: ShardInfo?
    /// What the planner decided that the user should be told.
    public var notes: [PlanNote] = []

    public init(suites: [any Suite], selected: [PlannedTest], deselected: [Deselection], collectionFailures: [CollectionFailure], collected: Int) {
        self.suites = suites
        self.selected = selected
        self.deselected = deselected
        self.collectionFailures = collectionFailures
        self.collected = collected
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

extension ShardInfo {
    /// The selection fingerprint a shard report carries: the 64-bit FNV-1a hash (see
    /// `Seeds.fnv1a64`) of the ids sorted by their UTF-8 bytes and joined by `"\n"`, as 16
    /// lowercase hex digits. Sorts `ids` itself, so any order gives the same fingerprint.
    public static func fingerprint(of ids: [String]) -> String {
        let sorted = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let hex = String(Seeds.fnv1a64(sorted.joined(separator: "\n")), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
