/// A problem found while planning that makes the run a usage error (exit 4).
package struct PlanError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Builds the plan from what the suites collected: the one place tests are selected and
/// ordered.
///
/// The filters apply in `PlanFilter`'s order — ids, `-k`, `-m`, changed files,
/// last-failed, shard — each seeing only what the ones before it kept, and each deselected
/// test gets the typed reason of the filter that removed it. Then `--ff` and
/// `Selection.order` order what is left.
package enum Planner {
    /// - Parameters:
    ///   - collections: each suite with its collected tests or its collection error, in config order.
    ///   - selection: the filters and the order.
    ///   - registry: the declared markers; with `strictMarkers`, an undeclared marker on a
    ///     suite or test is a `PlanError`.
    package static func plan(
        collections: [(suite: any Suite, result: Result<[TestCase], SuiteError>)],
        selection: Selection,
        registry: MarkerRegistry,
        strictMarkers: Bool
    ) throws(PlanError) -> Plan {
        var plan = try collect(collections, selection: selection, registry: registry, strictMarkers: strictMarkers)
        if let lastFailed = selection.lastFailed { plan.applyLastFailed(lastFailed) }
        if let shard = selection.shard { plan.applyShard(shard, durations: selection.durations) }
        if selection.order == .longestFirst { plan.orderLongestFirst(durations: selection.durations, first: selection.lastFailed) }
        return plan
    }

    /// The plan after ids, `-k`, `-m` and changed files, in declared order.
    private static func collect(
        _ collections: [(suite: any Suite, result: Result<[TestCase], SuiteError>)],
        selection: Selection,
        registry: MarkerRegistry,
        strictMarkers: Bool
    ) throws(PlanError) -> Plan {
        var selected: [PlannedTest] = []
        var deselected: [Deselection] = []
        var failures: [CollectionFailure] = []
        var collected = 0
        var idsMatched = Set<String>()
        if strictMarkers, let expression = selection.markerExpression {
            let frameworks = Set(collections.flatMap { $0.suite.declaredMarkers })
            for identifier in expression.identifiers where !registry.isDeclared(identifier.name) && !frameworks.contains(identifier.name) {
                throw PlanError(
                    "'\(identifier.name)' in -m is not a known marker (--strict-markers); declare it in [runner.markers], "
                        + "or where the suite's framework declares markers (pytest's `markers` setting)")
            }
        }

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
            let suiteDeclared = Set(suite.declaredMarkers)
            var suiteDefault: (expression: MatchExpression, text: String)?
            if selection.suiteDefaults, let text = suite.defaultSelection, !text.isEmpty {
                do throws(ExpressionError) {
                    suiteDefault = (try MatchExpression.parse(text), text)
                } catch {
                    failures.append(
                        CollectionFailure(
                            suite: suite.name, plugin: suite.plugin, markers: suite.markers,
                            message: "the suite's own -m, \(text), is not a marker expression: at column \(error.column): \(error.message)"))
                    continue
                }
            }
            var seen = Set<String>()
            if let duplicate = tests.first(where: { !seen.insert($0.name).inserted }) {
                failures.append(
                    CollectionFailure(
                        suite: suite.name, plugin: suite.plugin, markers: suite.markers,
                        message: "test '\(duplicate.name)' was discovered twice; test ids must be unique"))
                continue
            }
            for test in tests {
                collected += 1
                let id = TestID(suite: suite.name, name: test.name)
                var markers = suite.markers
                for marker in test.markers where !markers.contains(marker) { markers.append(marker) }
                if strictMarkers {
                    for marker in test.markers where !registry.isDeclared(marker.name) && !suiteDeclared.contains(marker.name) {
                        throw PlanError("marker '\(marker.name)' of test '\(id)' is not declared in [runner.markers] (--strict-markers)")
                    }
                }
                for argument in selection.ids where Selection.idArgument(argument, names: id) { idsMatched.insert(argument) }
                if let reason = selection.expressionReason(id: id, markers: markers, keywords: test.keywords) {
                    deselected.append(Deselection(id: id, reason: reason))
                    continue
                }
                if let suiteDefault, !suiteDefault.expression.evaluate(MarkerMatcher(markers)) {
                    deselected.append(Deselection(id: id, reason: .marker(expression: suiteDefault.text)))
                    continue
                }
                var selectedBecause: String?
                if let changes = selection.changes {
                    switch changes.verdict(suitePaths: suiteGlobs, testPaths: ChangeSelection.globs(test.paths)) {
                    case .affected(let because):
                        selectedBecause = because
                    case .unaffected(let patterns):
                        deselected.append(Deselection(id: id, reason: .unchanged(source: changes.source, patterns: patterns)))
                        continue
                    }
                }
                var planned = PlannedTest(id: id, plugin: suite.plugin, markers: markers, testCase: test, suiteIndex: index)
                planned.selectedBecause = selectedBecause
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

extension Plan {
    /// `--lf` keeps the selected tests that failed last time (all, with a note, when none
    /// did); `--ff` moves them to the front.
    mutating func applyLastFailed(_ filter: LastFailedFilter) {
        switch filter {
        case .only(let failed):
            guard selected.contains(where: { failed.contains($0.id.description) }) else {
                notes.append(.noTestFailedLastTime)
                return
            }
            deselected += selected.filter { !failed.contains($0.id.description) }.map { Deselection(id: $0.id, reason: .passedLastTime) }
            selected.removeAll { !failed.contains($0.id.description) }
        case .first(let failed):
            selected = selected.filter { failed.contains($0.id.description) } + selected.filter { !failed.contains($0.id.description) }
        }
    }

    /// Keeps this shard's tests; records the whole selection for the report.
    mutating func applyShard(_ request: ShardRequest, durations: [String: Double]) {
        let ids = selected.map(\.id)
        let keep = ShardAssignment.assign(ids: ids, spec: request.spec, durations: durations)
        shard = ShardInfo(
            spec: request.spec, source: request.source, selectionCount: ids.count,
            fingerprint: ShardInfo.fingerprint(of: ids.map(\.description)))
        deselected += selected.filter { !keep.contains($0.id) }.map { Deselection(id: $0.id, reason: .otherShard(request.spec)) }
        selected.removeAll { !keep.contains($0.id) }
    }

    /// Longest known duration first (unknown durations count as the median known one), the
    /// tests that failed last time (`--ff`) before all others; ties keep their order.
    mutating func orderLongestFirst(durations: [String: Double], first: LastFailedFilter?) {
        let failedFirst: Set<String>
        if case .first(let failed)? = first { failedFirst = failed } else { failedFirst = [] }
        let known = selected.compactMap { durations[$0.id.description] }.sorted()
        let median = known.isEmpty ? 0 : known[known.count / 2]
        let keyed = selected.enumerated().map { index, test in
            let id = test.id.description
            return (test: test, group: failedFirst.contains(id) ? 0 : 1, seconds: durations[id] ?? median, index: index)
        }
        selected = keyed.sorted { a, b in
            if a.group != b.group { return a.group < b.group }
            if a.seconds != b.seconds { return a.seconds > b.seconds }
            return a.index < b.index
        }.map(\.test)
    }
}
