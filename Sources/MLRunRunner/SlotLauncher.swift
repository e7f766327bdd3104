import MLRunCore

/// Runs one attempt of one planned test in a slot: the seam between the dispatcher, which
/// decides what runs where and when, and the executors, which know how a test is run.
///
/// ## Contract
/// - The dispatcher calls `launch`, each call on a child task of its own. Calls for
///   different slots run concurrently; a slot has at most one call in flight at a time, so
///   whatever a launcher keeps per slot (a worker process) needs no locking of its own.
/// - `upcoming` lists the tests the dispatcher has reserved for the slot after this one, in
///   order, all of the test's `lookahead` lane and at most its depth: the slot's next
///   `launch` is for `upcoming.first`, unless the run stops (then the launcher's owner ends
///   it, and those tests must not run). A launcher may hand them to its process ahead of
///   time; each still gets its own `launch` and result. Empty when `lookahead(for:)` is nil.
/// - `launch` never throws and always returns a result for the test it was given, whatever
///   the test did (threw, crashed its process, hung past its limit).
/// - Cancellation of the calling task means the run was interrupted: stop the test as soon
///   as possible and return its verdict (by convention `skipped`, "interrupted by SIGINT
///   while running"). The launcher names the signal; the dispatcher only cancels.
/// - The returned `TestResult` carries the test's outcome, output, values, seed, duration,
///   slot (as `worker`) and attempt number; the dispatcher adds what only it knows (`flaky`,
///   `selectedBecause`).
package protocol SlotLauncher: Sendable {
    /// Runs attempt `attempt` (1 for the first) of `test` in slot `slot`, with the tests
    /// reserved to follow it there.
    func launch(_ test: PlannedTest, attempt: Int, slot: Int, upcoming: [PlannedTest]) async -> SlotOutcome
    /// Whether tests may be reserved behind `test` in its slot, and which; nil (the
    /// default) for one test at a time.
    func lookahead(for test: PlannedTest) -> Lookahead?
}

extension SlotLauncher {
    package func lookahead(for test: PlannedTest) -> Lookahead? { nil }

    /// Runs `test` with nothing reserved behind it.
    package func launch(_ test: PlannedTest, attempt: Int, slot: Int) async -> SlotOutcome {
        await launch(test, attempt: attempt, slot: slot, upcoming: [])
    }
}

/// What one attempt in a slot came to.
package struct SlotOutcome: Sendable {
    package var result: TestResult
    /// Whether the slot's process was lost (crash, kill, timeout) and replaced: counts
    /// against `--max-worker-restart`.
    package var processLost: Bool

    package init(result: TestResult, processLost: Bool = false) {
        self.result = result
        self.processLost = processLost
    }
}
