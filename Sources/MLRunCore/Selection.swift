/// The filters of a run (`IDS`, `-k`, `-m`), as plain values.
public struct Selection: Sendable {
    /// Positional test ids or id prefixes (`suite`, `suite::`, `suite::name`).
    public var ids: [String]
    /// The `-k` expression, if given.
    public var keyword: MatchExpression?
    /// The `-m` expression, if given.
    public var markerExpression: MatchExpression?
    /// The `-m` text, for messages.
    public var markerText: String?
    /// The `-k` text, for messages.
    public var keywordText: String?
    /// `--changed` / `--changed-since`, if given.
    public var changes: ChangeSelection?

    /// The deselection reasons, made once and shared by every deselected test.
    private let keywordReason: String
    private let markerReason: String

    public init(ids: [String] = [], keyword: MatchExpression? = nil, keywordText: String? = nil, markerExpression: MatchExpression? = nil, markerText: String? = nil) {
        self.ids = ids
        self.keyword = keyword
        self.keywordText = keywordText
        self.markerExpression = markerExpression
        self.markerText = markerText
        keywordReason = "deselected by -k '\(keywordText ?? "")'"
        markerReason = "deselected by -m '\(markerText ?? "")'"
    }

    /// Whether a positional id argument names this test: the exact id, a prefix ending in
    /// `::`, the suite name alone, or a prefix of `::`-separated parts (`a::b` names `a::b::c`).
    public static func idArgument(_ argument: String, names id: TestID) -> Bool {
        if argument == id.suite { return true }
        let full = id.description
        if argument == full { return true }
        if argument.hasSuffix("::") { return full.hasPrefix(argument) }
        return full.hasPrefix(argument + "::")
    }

    /// Why `id` is deselected, or nil when it is selected.
    public func deselectionReason(id: TestID, markers: [Marker]) -> String? {
        if !ids.isEmpty, !ids.contains(where: { Selection.idArgument($0, names: id) }) {
            return "not named by the ids given"
        }
        if let keyword, !keyword.evaluate(KeywordMatcher(id: id.description, markers: markers)) {
            return keywordReason
        }
        if let markerExpression, !markerExpression.evaluate(MarkerMatcher(markers)) {
            return markerReason
        }
        return nil
    }

    /// Why the test is selected by the change filter, or why not; nil without one.
    func changeVerdict(suite: any Suite, suiteGlobs: [PathGlob], test: TestCase) -> (affected: Bool, reason: String)? {
        guard let changes else { return nil }
        return changes.affects(suitePaths: suiteGlobs, testPaths: ChangeSelection.globs(test.paths))
    }
}

/// A problem found while planning that makes the run a usage error (exit 4).
public struct PlanError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Builds the plan from what the suites collected.
public enum Planner {
    /// - Parameters:
    ///   - collections: each suite with its collected tests or its collection error, in config order.
    ///   - selection: the filters.
    ///   - registry: the declared markers; with `strictMarkers`, an undeclared marker on a test
    ///     is a `PlanError`.
    public static func plan(
        collections: [(suite: any Suite, result: Result<[TestCase], SuiteError>)],
        selection: Selection,
        registry: MarkerRegistry,
        strictMarkers: Bool
    ) throws(PlanError) -> Plan {
        var selected: [PlannedTest] = []
        var deselected: [Deselection] = []
        var failures: [CollectionFailure] = []
        var collected = 0
        var idsMatched = Set<String>()

        for (index, (suite, result)) in collections.enumerated() {
            let suiteGlobs = ChangeSelection.globs(suite.paths)
            let inScope = selection.ids.isEmpty || selection.ids.contains { $0 == suite.name || $0.hasPrefix(suite.name + "::") }
            if strictMarkers {
                for marker in suite.markers where !registry.isDeclared(marker.name) {
                    throw PlanError("marker '\(marker.name)' of suite '\(suite.name)' is not declared in [runner.markers] (--strict-markers)")
                }
            }
            let tests: [TestCase]
            switch result {
            case .failure(let error):
                if inScope {
                    failures.append(CollectionFailure(suite: suite.name, plugin: suite.plugin, markers: suite.markers, message: error.message))
                }
                continue
            case .success(let found):
                tests = found
            }
            var seen = Set<String>()
            if let duplicate = tests.first(where: { !seen.insert($0.name).inserted }) {
                failures.append(CollectionFailure(suite: suite.name, plugin: suite.plugin, markers: suite.markers,
                                                  message: "test '\(duplicate.name)' was discovered twice; test ids must be unique"))
                continue
            }
            for test in tests {
                collected += 1
                let id = TestID(suite: suite.name, name: test.name)
                var markers = suite.markers
                for marker in test.markers where !markers.contains(marker) { markers.append(marker) }
                if strictMarkers {
                    for marker in test.markers where !registry.isDeclared(marker.name) {
                        throw PlanError("marker '\(marker.name)' of test '\(id)' is not declared in [runner.markers] (--strict-markers)")
                    }
                }
                for argument in selection.ids where Selection.idArgument(argument, names: id) { idsMatched.insert(argument) }
                if let reason = selection.deselectionReason(id: id, markers: markers) {
                    deselected.append(Deselection(id: id, reason: reason))
                    continue
                }
                let change = selection.changeVerdict(suite: suite, suiteGlobs: suiteGlobs, test: test)
                if let change, !change.affected {
                    deselected.append(Deselection(id: id, reason: change.reason))
                    continue
                }
                var planned = PlannedTest(id: id, plugin: suite.plugin, markers: markers, testCase: test, suiteIndex: index)
                planned.selectedBecause = change?.reason
                selected.append(planned)
            }
        }
        // An id that names nothing is a mistake, unless its suite could not be collected.
        let failedSuites = Set(failures.map(\.suite))
        for argument in selection.ids where !idsMatched.contains(argument) {
            let suite = argument.components(separatedBy: "::").first ?? argument
            if !failedSuites.contains(suite) {
                throw PlanError("no test matches the id '\(argument)'")
            }
        }
        return Plan(suites: collections.map(\.suite), selected: selected, deselected: deselected, collectionFailures: failures, collected: collected)
    }
}

/// The markers a run knows: the built-ins and those declared in `[runner.markers]`.
public struct MarkerRegistry: Sendable {
    /// The built-in markers (SPEC §4) with their descriptions.
    public static let builtIns: [(name: String, description: String)] = [
        ("unit", "a fast, isolated unit test"),
        ("data", "validates a data set"),
        ("integration", "exercises several components together"),
        ("quality", "a model-quality gate"),
        ("property", "a property-based test"),
        ("slow", "takes long; deselect with -m \"not slow\""),
        ("gpu", "needs a CUDA device; skipped when none is found"),
        ("serial", "never runs at the same time as another serial test under -n"),
    ]

    public private(set) var markers: [(name: String, description: String)]

    public init(declared: [(name: String, description: String)]) {
        markers = MarkerRegistry.builtIns
        for marker in declared {
            if let index = markers.firstIndex(where: { $0.name == marker.name }) {
                markers[index].description = marker.description
            } else {
                markers.append(marker)
            }
        }
    }

    public func isDeclared(_ name: String) -> Bool { markers.contains { $0.name == name } }
}
