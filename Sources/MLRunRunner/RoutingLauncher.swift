import MLRunCore

/// Sends each test to the executor its suite needs: under `-n`, tests of `.inProcess`
/// suites go to their slot's worker process; everything else (all tests in-process, and
/// `.perWorker` suites, which isolate workers themselves) runs in this process.
package struct RoutingLauncher: SlotLauncher {
    /// Each suite's concurrency, indexed by `PlannedTest.suiteIndex`.
    private let concurrency: [SuiteConcurrency]
    private let inProcess: any SlotLauncher
    /// The worker processes; nil without `-n`.
    private let workers: (any SlotLauncher)?

    /// Routes the tests of `suites` (the plan's, indexed by `suiteIndex`) to `inProcess`, or
    /// under `-n` (`workers` set) by their suite's concurrency.
    package init(suites: [any Suite], inProcess: any SlotLauncher, workers: (any SlotLauncher)?) {
        concurrency = suites.map(\.concurrency)
        self.inProcess = inProcess
        self.workers = workers
    }

    package func launch(_ test: PlannedTest, attempt: Int, slot: Int, upcoming: [PlannedTest]) async -> SlotOutcome {
        let executor = self.executor(for: test)
        var outcome = await executor.launch(test, attempt: attempt, slot: slot, upcoming: upcoming)
        guard workers != nil, concurrency[test.suiteIndex] != .inProcess else { return outcome }
        // A `.perWorker` suite (a command suite) replaces its process after these outcomes.
        if [.crashed, .timeout].contains(outcome.result.outcome) { outcome.processLost = true }
        return outcome
    }

    /// The lookahead of the executor that runs `test`: tests share a lane only within one
    /// executor (each suite's own in-process, `Lookahead.workerLane` in worker processes).
    package func lookahead(for test: PlannedTest) -> Lookahead? {
        executor(for: test).lookahead(for: test)
    }

    private func executor(for test: PlannedTest) -> any SlotLauncher {
        guard let workers, concurrency[test.suiteIndex] == .inProcess else { return inProcess }
        return workers
    }
}
