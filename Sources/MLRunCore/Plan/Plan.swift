/// A test chosen to run, with everything the runner and reporters need to know about it.
package struct PlannedTest: Sendable {
    package var id: TestID
    /// The config table of its suite (`command`, …).
    package var plugin: String
    /// The suite's markers followed by the test's own, without repeats.
    package var markers: [Marker]
    /// The test as its suite discovered it.
    package var testCase: TestCase
    /// The index of its suite in `Plan.suites`.
    package var suiteIndex: Int
    /// Why a change filter selected it (`--changed`), for `--explain` and the report.
    package var selectedBecause: String?
}

/// A suite whose discovery failed: reported as one `error` test, `<suite>::(discovery)`.
package struct CollectionFailure: Sendable {
    package var suite: String
    package var plugin: String
    package var markers: [Marker]
    package var message: String

    /// The id under which the failure is reported.
    package var id: TestID {
        TestID(suite: suite, name: "(discovery)")
    }

    /// The failure as every report shows it: one `error` test with the collection's message.
    package var result: TestResult {
        TestResult(id: id, plugin: plugin, markers: markers, outcome: .error, message: message)
    }
}

/// What a run will do, decided before anything runs: the selected tests in the order they
/// start, the deselected ones with typed reasons, and the suites that failed to collect.
package struct Plan: Sendable {
    package var suites: [any Suite]
    package var selected: [PlannedTest]
    package var deselected: [Deselection]
    package var collectionFailures: [CollectionFailure]
    /// How many tests were discovered in all.
    package var collected: Int
    /// Set when the run is one shard of a larger selection.
    package var shard: ShardInfo?
    /// What the planner decided that the user should be told.
    package var notes: [PlanNote] = []

    package init(suites: [any Suite], selected: [PlannedTest], deselected: [Deselection], collectionFailures: [CollectionFailure], collected: Int) {
        self.suites = suites
        self.selected = selected
        self.deselected = deselected
        self.collectionFailures = collectionFailures
        self.collected = collected
    }
}

/// Which shard of a sharded run this is, for the header and the report.
package struct ShardInfo: Sendable {
    package var spec: ShardSpec
    /// Where the shard came from when not `--shard`, e.g. `CI_NODE_INDEX/CI_NODE_TOTAL`.
    package var source: String?
    /// How many tests the whole selection (all shards together) has.
    package var selectionCount: Int
    /// Identifies the whole selection, so shard reports of different runs are not merged.
    package var fingerprint: String

    package init(spec: ShardSpec, source: String?, selectionCount: Int, fingerprint: String) {
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
    package static func fingerprint(of ids: [String]) -> String {
        let sorted = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let hex = String(Seeds.fnv1a64(sorted.joined(separator: "\n")), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
