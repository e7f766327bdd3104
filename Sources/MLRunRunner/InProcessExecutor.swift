import Foundation
import MLRunCore
import MLRunProtocol

/// Runs a test in this process, through `TestRun` (a fresh context, sealed afterwards, its
/// temporary folder removed), and holds it to its time limit by `clock`.
///
/// The test runs on a task of its own; the executor waits for the first of: it returns, it
/// throws (`failed`), its limit passes (`timeout`), the launch is cancelled (`skipped`,
/// "interrupted by SIGINT while running"). A test that ignores cancellation is left behind
/// rather than waited for. A suite that enforces limits itself gets 10 s of grace before
/// the executor steps in.
package struct InProcessExecutor: SlotLauncher {
    /// The plan's suites, indexed by `PlannedTest.suiteIndex`.
    package var suites: [any Suite]
    /// The seed, default limit and folders; under `-n` also each slot's variables and echo.
    package var options: RunOptions
    /// Names the signal in the verdict of an interrupted test.
    package var interruption: Interruption
    /// Holds tests to their limits.
    package var clock: any RunClock

    /// Each suite's `LookaheadSuite.lookahead` (0 for other suites), by suite index.
    private let depths: [Int]

    package init(suites: [any Suite], options: RunOptions, interruption: Interruption, clock: any RunClock) {
        self.suites = suites
        depths = suites.map { ($0 as? any LookaheadSuite)?.lookahead ?? 0 }
        self.options = options
        self.interruption = interruption
        self.clock = clock
    }

    /// A `LookaheadSuite` with a positive `lookahead` is told of its upcoming tests; the lane
    /// is its suite's.
    package func lookahead(for test: PlannedTest) -> Lookahead? {
        guard test.suiteIndex < depths.count, depths[test.suiteIndex] > 0 else { return nil }
        return Lookahead(lane: test.suiteIndex, depth: depths[test.suiteIndex])
    }

    package func launch(_ test: PlannedTest, attempt: Int, slot: Int, upcoming: [PlannedTest]) async -> SlotOutcome {
        let suite = suites[test.suiteIndex]
        let limit = test.testCase.timeout ?? options.timeout
        let run = TestRun(
            id: test.id, test: test.testCase, runSeed: options.runSeed, worker: slot, timeout: limit,
            configDirectory: options.configDirectory, scratchRoot: options.scratchRoot,
            workerEnvironment: options.pool?.environment(slot) ?? ["MLRUN_WORKER": "0", "MLRUN_WORKERS": "1"],
            outputEcho: options.pool?.echo(slot), upcoming: upcoming.map(\.testCase))
        let watchdog = limit.map { suite.enforcesTimeouts ? $0 + 10 : $0 }
        let race = Race(limit: watchdog, interruption: interruption, clock: clock)
        let record = await run.run(suite) { suite, test, context in
            switch await race.run(suite: suite, test: test, context: context) {
            case .returned(let returned): return returned
            case .threw(let message): return .failed(message)
            case .timedOut: return .timeout("exceeded its time limit of \(ProtocolSession.format(limit ?? 0)) s")
            case .interrupted(let signal): return .skipped("interrupted by \(signal) while running")
            }
        }
        let result = TestResult(
            id: test.id, plugin: test.plugin, markers: test.markers, outcome: record.verdict.outcome,
            message: record.verdict.message, duration: record.duration, worker: slot, attempts: attempt,
            seed: run.seed, values: record.values, stdout: record.stdout, stderr: record.stderr)
        return SlotOutcome(result: result)
    }
}
