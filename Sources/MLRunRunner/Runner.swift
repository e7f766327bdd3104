import Foundation
import MLRunCore
import Synchronization

/// How to run a plan.
public struct RunOptions: Sendable {
    public var runSeed: UInt64
    /// Stop after this many failed tests (`-x` is 1); the rest are `skipped` with the reason.
    public var maxFail: Int?
    /// Whether the stop came from `-x` (for the message).
    public var exitFirst: Bool
    /// The per-test limit for tests without one of their own (`--timeout`, else `[runner] timeout`).
    public var timeout: Double?
    /// Where tests' temporary folders are made; removed after the run.
    public var scratchRoot: URL
    public var configDirectory: URL
    public var worker: Int

    public init(runSeed: UInt64, maxFail: Int? = nil, exitFirst: Bool = false, timeout: Double? = nil,
                scratchRoot: URL, configDirectory: URL, worker: Int = 0) {
        self.runSeed = runSeed
        self.maxFail = maxFail
        self.exitFirst = exitFirst
        self.timeout = timeout
        self.scratchRoot = scratchRoot
        self.configDirectory = configDirectory
        self.worker = worker
    }
}

/// Runs a plan's tests one after another in this process and reports each as it finishes.
///
/// Every selected test ends with exactly one `testFinished` event, whatever happens: a
/// test that throws, hangs past its limit, or is cut short by an interrupt still gets one.
public final class Runner: Sendable {
    private let plan: Plan
    private let options: RunOptions
    private let interruption: Interruption

    public init(plan: Plan, options: RunOptions, interruption: Interruption) {
        self.plan = plan
        self.options = options
        self.interruption = interruption
    }

    /// Runs the plan, sending every event but `runStarted` and `runFinished` to `emit`;
    /// returns the counts and the exit code.
    public func run(emit: (RunEvent) -> Void) async -> RunSummary {
        let start = ContinuousClock.now
        var counts: [Outcome: Int] = [:]
        var failures = 0

        for failure in plan.collectionFailures {
            let result = TestResult(id: failure.id, plugin: failure.plugin, markers: failure.markers, outcome: .error,
                                    message: failure.message, worker: options.worker)
            counts[.error, default: 0] += 1
            emit(.testFinished(result))
        }

        for planned in plan.selected {
            var skipReason: String?
            if let signal = interruption.signal {
                skipReason = "not run: the run was interrupted (\(signal))"
            } else if let maxFail = options.maxFail, failures >= maxFail {
                skipReason = options.exitFirst ? "not run: stopped after the first failure (-x)" : "not run: --maxfail \(maxFail) reached"
            }
            if let skipReason {
                emit(.testFinished(TestResult(id: planned.id, plugin: planned.plugin, markers: planned.markers, outcome: .skipped,
                                              message: skipReason, worker: options.worker, attempts: 0)))
                counts[.skipped, default: 0] += 1
                continue
            }
            emit(.testStarted(planned))
            let result = await runOne(planned)
            counts[result.outcome, default: 0] += 1
            if result.outcome.isFailure { failures += 1 }
            emit(.testFinished(result))
        }

        for suite in plan.suites { await suite.finish() }
        try? FileManager.default.removeItem(at: options.scratchRoot)

        let failed = counts.contains { $0.key.isFailure && $0.value > 0 }
        let exitCode: MLRunExitCode
        if interruption.isInterrupted { exitCode = .interrupted }
        else if failed { exitCode = .testsFailed }
        else if plan.selected.isEmpty { exitCode = .noTestsSelected }
        else { exitCode = .ok }
        let elapsed = ContinuousClock.now - start
        return RunSummary(collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected.count,
                          counts: counts, duration: elapsed.seconds, interruptedBy: interruption.signal, exitCode: exitCode)
    }

    /// How one test's run ended, from the runner's point of view.
    private enum Ending: Sendable {
        case returned(TestVerdict)
        case threw(String)
        case timedOut(Double)
        case interrupted(String)
    }

    private func runOne(_ planned: PlannedTest) async -> TestResult {
        let suite = plan.suites[planned.suiteIndex]
        let seed = Seeds.testSeed(runSeed: options.runSeed, id: planned.id)
        let limit = planned.testCase.timeout ?? options.timeout
        let context = TestContext(id: planned.id, seed: seed, runSeed: options.runSeed, worker: options.worker, timeout: limit,
                                  configDirectory: options.configDirectory, scratchRoot: options.scratchRoot)
        let start = ContinuousClock.now
        // A suite that enforces limits itself gets a grace period before the runner steps in.
        let watchdog = limit.map { suite.enforcesTimeouts ? $0 + 10 : $0 }
        let ending = await Runner.race(suite: suite, test: planned.testCase, context: context, limit: watchdog, interruption: interruption)
        let duration = (ContinuousClock.now - start).seconds
        let recorded = context.seal()
        if let folder = recorded.temporaryDirectory { try? FileManager.default.removeItem(at: folder) }

        let verdict: TestVerdict
        switch ending {
        case .returned(let returned): verdict = returned
        case .threw(let message): verdict = .failed(message)
        case .timedOut: verdict = .timeout("exceeded its time limit of \(Runner.format(limit ?? 0)) s")
        case .interrupted(let signal): verdict = .skipped("interrupted by \(signal) while running")
        }
        return TestResult(id: planned.id, plugin: planned.plugin, markers: planned.markers, outcome: verdict.outcome,
                          message: verdict.message, duration: duration, worker: options.worker, attempts: 1, seed: seed,
                          values: recorded.values, stdout: recorded.stdout, stderr: recorded.stderr)
    }

    /// Runs the test on a task of its own and waits for the first of: it returns, it throws,
    /// the limit passes, the run is interrupted. A test that ignores cancellation is left
    /// behind rather than waited for.
    private static func race(suite: any Suite, test: TestCase, context: TestContext, limit: Double?, interruption: Interruption) async -> Ending {
        let gate = Gate<Ending>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Ending, Never>) in
            gate.arm(continuation)
            let task = Task {
                do {
                    gate.resume(.returned(try await suite.run(test, context: context)))
                } catch {
                    gate.resume(.threw(String(describing: error)))
                }
            }
            let timer: Task<Void, Never>? = limit.map { limit in
                Task {
                    try? await Task.sleep(for: .seconds(limit))
                    if !Task.isCancelled, gate.resume(.timedOut(limit)) { task.cancel() }
                }
            }
            let token = interruption.onInterrupt {
                if gate.resume(.interrupted(interruption.signal ?? "SIGINT")) { task.cancel() }
            }
            gate.onResolve {
                timer?.cancel()
                interruption.remove(token)
            }
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Resumes a continuation exactly once, from whichever racer gets there first, then runs
/// the cleanup registered with `onResolve`.
private final class Gate<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        var cleanup: (@Sendable () -> Void)?
        var resolved = false
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<Value, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes with `value` if nobody has yet; returns whether this call won.
    @discardableResult
    func resume(_ value: Value) -> Bool {
        let won: (CheckedContinuation<Value, Never>, (@Sendable () -> Void)?)? = state.withLock { state in
            guard !state.resolved, let continuation = state.continuation else { return nil }
            state.resolved = true
            state.continuation = nil
            let cleanup = state.cleanup
            state.cleanup = nil
            return (continuation, cleanup)
        }
        guard let (continuation, cleanup) = won else { return false }
        cleanup?()
        continuation.resume(returning: value)
        return true
    }

    /// Runs `cleanup` once the gate resolves (at once if it already has).
    func onResolve(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.resolved { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }
}

extension Duration {
    /// The duration in seconds, as a double.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
