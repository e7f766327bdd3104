/// What to run, as plain values: every filter of the command line and how to order what
/// is left. The planner applies the filters in `PlanFilter`'s order — ids, `-k`, `-m`,
/// changed files, last-failed, shard — then orders the plan.
package struct Selection: Sendable {
    /// Positional test ids or id prefixes (`suite`, `suite::`, `suite::name`).
    package var ids: [String]
    /// The `-k` expression, if given.
    package var keyword: MatchExpression?
    /// The `-m` expression, if given.
    package var markerExpression: MatchExpression?
    /// The `-m` text, for reasons.
    package var markerText: String?
    /// The `-k` text, for reasons.
    package var keywordText: String?
    /// `--changed` / `--changed-since`, if given.
    package var changes: ChangeSelection?
    /// `--lf` / `--ff`, with the ids that failed last time.
    package var lastFailed: LastFailedFilter?
    /// `--shard`, or the shard a CI's variables name.
    package var shard: ShardRequest?
    /// Known test durations in seconds by id (`.mlrun/durations.json`): for `--shard-by
    /// duration` and for `order`.
    package var durations: [String: Double] = [:]
    /// How the selected tests are ordered after the filters.
    package var order: PlanOrder = .declared
    /// Whether suites' own default selections (`Suite.defaultSelection`) apply: only when the
    /// command line has no `-m` (`-m ""` included, which pytest reads as "every test").
    package var suiteDefaults = true

    package init(
        ids: [String] = [], keyword: MatchExpression? = nil, keywordText: String? = nil, markerExpression: MatchExpression? = nil,
        markerText: String? = nil
    ) {
        self.ids = ids
        self.keyword = keyword
        self.keywordText = keywordText
        self.markerExpression = markerExpression
        self.markerText = markerText
    }

    /// Whether a positional id argument names this test: the exact id, a prefix ending in
    /// `::`, the suite name alone, or a prefix of `::`-separated parts (`a::b` names `a::b::c`).
    package static func idArgument(_ argument: String, names id: TestID) -> Bool {
        if argument == id.suite { return true }
        let full = id.description
        if argument == full { return true }
        if argument.hasSuffix("::") { return full.hasPrefix(argument) }
        return full.hasPrefix(argument + "::")
    }

    /// Why the ids, `-k` or `-m` leave the test out, or nil when they keep it.
    func expressionReason(id: TestID, markers: [Marker], keywords: [String]? = nil) -> DeselectionReason? {
        if !ids.isEmpty, !ids.contains(where: { Selection.idArgument($0, names: id) }) {
            return .notNamedByIDs
        }
        if let keyword, !keyword.evaluate(KeywordMatcher(id: id.description, markers: markers, keywords: keywords)) {
            return .keyword(expression: keywordText ?? "")
        }
        if let markerExpression, !markerExpression.evaluate(MarkerMatcher(markers)) {
            return .marker(expression: markerText ?? "")
        }
        return nil
    }
}

/// `--lf` or `--ff`, with the ids (`suite::name`) recorded as failing last time.
package enum LastFailedFilter: Sendable {
    /// `--lf`: only the selected tests that failed last time (all of them when none did).
    case only(Set<String>)
    /// `--ff`: the selected tests that failed last time first, then the rest.
    case first(Set<String>)
}

/// The shard this run is, and where it came from.
package struct ShardRequest: Sendable {
    package var spec: ShardSpec
    /// The CI variables it was read from (e.g. `CI_NODE_INDEX/CI_NODE_TOTAL`), or nil for `--shard`.
    package var source: String?

    package init(spec: ShardSpec, source: String? = nil) {
        self.spec = spec
        self.source = source
    }
}

/// How the planner orders the selected tests (after `--ff`, which always goes first).
package enum PlanOrder: Sendable {
    /// Config order of suites, then discovery order: what one process running one test at a
    /// time does.
    case declared
    /// Longest known duration first (a test without one counts as the median known
    /// duration), ties in declared order: what `-n` workers do, so a long test never starts last.
    case longestFirst
}
