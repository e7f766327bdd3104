import Foundation
import MLRunCore

/// Runs a plan and reports each test as it finishes: in this process one test at a time, or
/// over a pool of worker processes (`-n`), in the plan's order.
///
/// A thin assembly of the parts: a `Dispatcher` decides what runs where and when; a
/// `RoutingLauncher` runs each attempt in-process (`InProcessExecutor`) or in a worker
/// process (`WorkerExecutor`). Afterwards the runner ends the worker processes and the
/// suites and removes the scratch folder.
///
/// Every selected test ends with exactly one `testFinished` event, whatever happens: a
/// test that throws, crashes its worker, hangs past its limit, or is cut short by an
/// interrupt still gets one.
package final class Runner: Sendable {
    private let plan: Plan
    private let options: RunOptions
    private let interruption: Interruption
    private let clock: any RunClock
    /// The `-n` worker processes, for `.inProcess` suites.
    private let workers: WorkerExecutor?

    package convenience init(plan: Plan, options: RunOptions, interruption: Interruption) {
        self.init(plan: plan, options: options, interruption: interruption, clock: SystemClock())
    }

    /// A runner whose durations and time limits go by `clock`.
    package init(plan: Plan, options: RunOptions, interruption: Interruption, clock: any RunClock) {
        self.plan = plan
        self.options = options
        self.interruption = interruption
        self.clock = clock
        workers = options.pool.map { WorkerExecutor(pool: $0, options: options, interruption: interruption, clock: clock) }
    }

    /// Runs the plan, sending every event but `runStarted` and `runFinished` to `emit`;
    /// returns the counts and the exit code. The duration includes ending the workers and
    /// suites.
    package func run(emit: (RunEvent) -> Void) async -> RunSummary {
        let start = clock.now
        let launcher = RoutingLauncher(
            suites: plan.suites,
            inProcess: InProcessExecutor(suites: plan.suites, options: options, interruption: interruption, clock: clock),
            workers: workers)
        let dispatcher = Dispatcher(
            plan: plan, policy: DispatchPolicy(options), interruption: interruption, clock: clock,
            launcher: launcher)
        var summary = await dispatcher.run(emit: emit)
        await workers?.finish()
        for suite in plan.suites { await suite.finish() }
        try? FileManager.default.removeItem(at: options.scratchRoot)
        summary.duration = clock.now - start
        return summary
    }
}
