/// The filters of the plan, in the order the planner applies them. The JSON report names
/// the one that left a test out in each `deselected` entry's `filter`.
package enum PlanFilter: String, Sendable, CaseIterable {
    /// Positional test ids (`mlrun suite::name`).
    case ids
    /// `-k`.
    case keyword
    /// `-m`, or `[runner] default_selection` when there is no `-m`.
    case marker
    /// `--changed` / `--changed-since`.
    case changed
    /// `--lf`.
    case lastFailed = "last_failed"
    /// `--shard` (or a CI's shard variables).
    case shard
}

/// Why a test was left out of the run: a typed value; reporters render it to text.
package enum DeselectionReason: Sendable, Equatable {
    /// Ids were given and none names the test.
    case notNamedByIDs
    /// The `-k` expression (its text, as given) does not match.
    case keyword(expression: String)
    /// The `-m` expression (its text; the config's default selection when `-m` is absent)
    /// does not match.
    case marker(expression: String)
    /// No changed file matches the test's globs; `source` says what was compared.
    case unchanged(source: String, patterns: [String])
    /// `--lf`: the test did not fail last time.
    case passedLastTime
    /// The test belongs to another shard than `shard`, the one this run is.
    case otherShard(ShardSpec)

    /// The filter that produced this reason.
    package var filter: PlanFilter {
        switch self {
        case .notNamedByIDs: return .ids
        case .keyword: return .keyword
        case .marker: return .marker
        case .unchanged: return .changed
        case .passedLastTime: return .lastFailed
        case .otherShard: return .shard
        }
    }
}

/// A test left out of the run, and why.
package struct Deselection: Sendable {
    package var id: TestID
    package var reason: DeselectionReason

    package init(id: TestID, reason: DeselectionReason) {
        self.id = id
        self.reason = reason
    }
}

/// Something the planner decided that the user should be told, rendered by reporters.
package enum PlanNote: Sendable, Equatable {
    /// `--lf` found no selected test that failed last time, so every selected test runs.
    case noTestFailedLastTime
}
