import MLRunCore
import MLRunProtocol

/// Runs a test in slot N's mlrun worker process (`-n`), over one `ProtocolSession` per
/// slot: the worker collects the suite itself and runs the ids it is sent, so a crash or a
/// hang costs only that process, which the session replaces for the next test. Tests the
/// dispatcher reserves for the slot are written to the worker ahead (one lane for all).
package final class WorkerExecutor: SlotLauncher {
    /// One session per slot; a slot has at most one launch in flight (`SlotLauncher`).
    private let sessions: [ProtocolSession]
    private let options: RunOptions
    /// Names the signal in the verdict of an interrupted test.
    private let interruption: Interruption
    /// Measures each test's duration.
    private let clock: any RunClock

    /// Sessions for `pool`'s workers; no process starts before its slot's first test.
    package init(pool: WorkerPool, options: RunOptions, interruption: Interruption, clock: any RunClock) {
        sessions = (0..<pool.workers).map { worker in
            ProtocolSession(launch: pool.workerLaunch(worker), role: "worker \(worker)", echo: pool.echo(worker))
        }
        self.options = options
        self.interruption = interruption
        self.clock = clock
    }

    /// The most tests written to a worker ahead of the running one.
    static let depth = 16

    package func lookahead(for test: PlannedTest) -> Lookahead? {
        Lookahead(lane: Lookahead.workerLane, depth: WorkerExecutor.depth)
    }

    package func launch(_ test: PlannedTest, attempt: Int, slot: Int, upcoming: [PlannedTest]) async -> SlotOutcome {
        let start = clock.now
        // Cancellation makes the session kill its worker and return `skipped`.
        var outcome = await sessions[slot].run(
            id: test.id.description, limit: test.testCase.timeout ?? options.timeout,
            upcoming: upcoming.map(\.id.description))
        if let signal = interruption.signal, outcome.processLost, outcome.verdict.outcome == .skipped {
            // Same wording as for a test interrupted in this process.
            outcome.verdict = .skipped("interrupted by \(signal) while running")
        }
        var stderr = BoundedText(limit: TestContext.outputLimit)
        stderr.append(outcome.stderr, droppedBefore: outcome.droppedStderr)
        let result = TestResult(
            id: test.id, plugin: test.plugin, markers: test.markers, outcome: outcome.verdict.outcome,
            message: outcome.verdict.message, duration: outcome.duration ?? clock.now - start, worker: slot, attempts: attempt,
            seed: Seeds.testSeed(runSeed: options.runSeed, id: test.id), values: outcome.values,
            stdout: outcome.stdout, stderr: stderr.text)
        return SlotOutcome(result: result, processLost: outcome.processLost)
    }

    /// Ends every worker process: gracefully when idle, at once when a test is still in
    /// flight (the run was interrupted).
    package func finish() async {
        for session in sessions { await session.finish() }
    }
}
