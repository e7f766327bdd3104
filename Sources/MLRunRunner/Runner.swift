import Foundation
import MLRunCore
import MLRunProtocol
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
    /// Run a failing test up to this many more times (`--reruns`); passing on a retry is
    /// `passed`, flagged flaky.
    public var reruns: Int
    /// Worker processes (`-n`); nil runs everything in this process, one test at a time.
    public var pool: WorkerPool?

    public init(runSeed: UInt64, maxFail: Int? = nil, exitFirst: Bool = false, timeout: Double? = nil,
                scratchRoot: URL, configDirectory: URL, reruns: Int = 0, pool: WorkerPool? = nil) {
        self.runSeed = runSeed
        self.maxFail = maxFail
        self.exitFirst = exitFirst
        self.timeout = timeout
        self.scratchRoot = scratchRoot
        self.configDirectory = configDirectory
        self.reruns = reruns
        self.pool = pool
    }
}

/// Runs a plan and reports each test as it finishes: in this process one test at a time, or
/// over a pool of worker processes (`-n`), longest-known-duration first.
///
/// Every selected test ends with exactly one `testFinished` event, whatever happens: a
/// test that throws, crashes its worker, hangs past its limit, or is cut short by an
/// interrupt still gets one.
public final class Runner: Sendable {
    private let plan: Plan
    private let options: RunOptions
    private let interruption: Interruption
    /// One protocol session per worker, for `.inProcess` suites under `-n`.
    private let sessions: [ProtocolSession]

    public init(plan: Plan, options: RunOptions, interruption: Interruption) {
        self.plan = plan
        self.options = options
        self.interruption = interruption
        if let pool = options.pool {
            sessions = (0..<pool.workers).map { worker in
                ProtocolSession(launch: pool.workerLaunch(worker), role: "worker \(worker)", echo: pool.echo(worker))
            }
        } else {
            sessions = []
        }
    }

    /// A test waiting to run, with how often it has been tried.
    private struct Pending {
        var planned: PlannedTest
        var attempt: Int
        var groups: [String]
    }

    /// A finished attempt, handed back to the scheduling loop.
    private struct Attempt: Sendable {
        var slot: Int
        var planned: PlannedTest
        var attempt: Int
        var result: TestResult
        var processLost: Bool
    }

    /// Runs the plan, sending every event but `runStarted` and `runFinished` to `emit`;
    /// returns the counts and the exit code.
    public func run(emit: (RunEvent) -> Void) async -> RunSummary {
        let start = ContinuousClock.now
        var counts: [Outcome: Int] = [:]
        var flaky: [TestID] = []
        var failures = 0
        var restarts = 0
        var stopReason: String?
        var stopOutcome = Outcome.skipped

        for failure in plan.collectionFailures {
            let result = TestResult(id: failure.id, plugin: failure.plugin, markers: failure.markers, outcome: .error,
                                    message: failure.message)
            counts[.error, default: 0] += 1
            emit(.testFinished(result))
        }

        let slots = options.pool?.workers ?? 1
        let groupLimits = options.pool?.groups ?? [:]
        var pending = order(plan.selected).map { planned in
            Pending(planned: planned, attempt: 1, groups: planned.markers.map(\.name).filter { groupLimits[$0] != nil })
        }
        var free = Array(0..<slots)
        var groupLoad: [String: Int] = [:]
        var suiteOwner: [Int: Int] = [:]
        let bySuite = options.pool?.distribution == .suite

        await withTaskGroup(of: Attempt.self) { group in
            var running = 0
            while true {
                if stopReason == nil, !interruption.isInterrupted {
                    var index = 0
                    while !free.isEmpty, index < pending.count {
                        let item = pending[index]
                        let suite = item.planned.suiteIndex
                        if item.groups.contains(where: { groupLoad[$0, default: 0] >= groupLimits[$0]! }) {
                            index += 1
                            continue
                        }
                        var slot = free[0]
                        if bySuite {
                            if let owner = suiteOwner[suite] {
                                guard let position = free.firstIndex(of: owner) else { index += 1; continue }
                                slot = free[position]
                            } else {
                                // Keep a suite on one worker: give it a worker no other suite owns, if any.
                                let owned = Set(suiteOwner.values)
                                slot = free.first { !owned.contains($0) } ?? free[0]
                                suiteOwner[suite] = slot
                            }
                        }
                        free.removeAll { $0 == slot }
                        pending.remove(at: index)
                        for name in item.groups { groupLoad[name, default: 0] += 1 }
                        if item.attempt == 1 { emit(.testStarted(item.planned)) }
                        running += 1
                        group.addTask { [self] in
                            await self.execute(item.planned, attempt: item.attempt, slot: slot)
                        }
                    }
                }
                if running == 0 { break }
                guard let done = await group.next() else { break }
                running -= 1
                free.append(done.slot)
                free.sort()
                let item = Pending(planned: done.planned, attempt: done.attempt,
                                   groups: done.planned.markers.map(\.name).filter { groupLimits[$0] != nil })
                for name in item.groups { groupLoad[name, default: 0] -= 1 }
                if done.processLost { restarts += 1 }
                var result = done.result
                if result.outcome.isFailure, done.attempt <= options.reruns, !interruption.isInterrupted, stopReason == nil {
                    // Retry first, before anything new starts.
                    pending.insert(Pending(planned: done.planned, attempt: done.attempt + 1, groups: item.groups), at: 0)
                    continue
                }
                if result.outcome == .passed, done.attempt > 1 {
                    result.flaky = true
                    flaky.append(result.id)
                }
                result.selectedBecause = done.planned.selectedBecause
                counts[result.outcome, default: 0] += 1
                if result.outcome.isFailure { failures += 1 }
                emit(.testFinished(result))
                if stopReason == nil, let maxFail = options.maxFail, failures >= maxFail {
                    stopReason = options.exitFirst ? "not run: stopped after the first failure (-x)" : "not run: --maxfail \(maxFail) reached"
                }
                if stopReason == nil, let pool = options.pool, restarts > pool.maxRestarts {
                    stopReason = "not run: worker processes were restarted \(restarts) times, over --max-worker-restart \(pool.maxRestarts)"
                    stopOutcome = .error
                }
            }
        }

        for item in pending {
            let reason = interruption.signal.map { "not run: the run was interrupted (\($0))" } ?? stopReason ?? "not run"
            let outcome = interruption.isInterrupted ? Outcome.skipped : stopOutcome
            emit(.testFinished(TestResult(id: item.planned.id, plugin: item.planned.plugin, markers: item.planned.markers,
                                          outcome: outcome, message: reason, attempts: item.attempt - 1)))
            counts[outcome, default: 0] += 1
        }

        for session in sessions { await session.finish() }
        for suite in plan.suites { await suite.finish() }
        try? FileManager.default.removeItem(at: options.scratchRoot)

        let exitCode = MLRunExitCode.of(interrupted: interruption.isInterrupted, counts: counts, selected: plan.selected.count)
        let elapsed = ContinuousClock.now - start
        return RunSummary(collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected.count,
                          counts: counts, duration: elapsed.seconds, interruptedBy: interruption.signal, exitCode: exitCode,
                          flaky: flaky.sorted())
    }

    /// The order tests start in: in-process, the plan's; with workers, tests named in
    /// `pool.first` (`--ff`) first, then longest known duration first (unknown ones count as
    /// the median known duration), ties in plan order.
    private func order(_ tests: [PlannedTest]) -> [PlannedTest] {
        guard let pool = options.pool else { return tests }
        let known = tests.compactMap { pool.durations[$0.id.description] }.sorted()
        let median = known.isEmpty ? 0 : known[known.count / 2]
        let keyed = tests.enumerated().map { (index, test) in
            (test, pool.first.contains(test.id) ? 0 : 1, pool.durations[test.id.description] ?? median, index)
        }
        return keyed.sorted { a, b in
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 > b.2 }
            return a.3 < b.3
        }.map(\.0)
    }

    private func execute(_ planned: PlannedTest, attempt: Int, slot: Int) async -> Attempt {
        let suite = plan.suites[planned.suiteIndex]
        let seed = Seeds.testSeed(runSeed: options.runSeed, id: planned.id)
        let limit = planned.testCase.timeout ?? options.timeout
        if options.pool != nil, suite.concurrency == .inProcess {
            let start = ContinuousClock.now
            // The session kills its worker and returns when its task is cancelled.
            let session = sessions[slot]
            let task = Task { await session.run(id: planned.id.description, limit: limit) }
            let token = interruption.onInterrupt { task.cancel() }
            var outcome = await task.value
            interruption.remove(token)
            if let signal = interruption.signal, outcome.processLost, outcome.verdict.outcome == .skipped {
                // Same wording as for a test interrupted in this process.
                outcome.verdict = .skipped("interrupted by \(signal) while running")
            }
            let duration = (ContinuousClock.now - start).seconds
            var stderr = BoundedText(limit: TestContext.outputLimit)
            stderr.append(outcome.stderr, droppedBefore: outcome.droppedStderr)
            let result = TestResult(id: planned.id, plugin: planned.plugin, markers: planned.markers,
                                    outcome: outcome.verdict.outcome, message: outcome.verdict.message, duration: duration,
                                    worker: slot, attempts: attempt, seed: seed, values: outcome.values,
                                    stdout: outcome.stdout, stderr: stderr.text)
            return Attempt(slot: slot, planned: planned, attempt: attempt, result: result, processLost: outcome.processLost)
        }
        let result = await runInProcess(planned, suite: suite, attempt: attempt, slot: slot, seed: seed, limit: limit)
        // A `.perWorker` suite (a command suite) replaces its process after these outcomes.
        let lost = options.pool != nil && [.crashed, .timeout].contains(result.outcome)
        return Attempt(slot: slot, planned: planned, attempt: attempt, result: result, processLost: lost)
    }

    /// How one test's run ended, from the runner's point of view.
    private enum Ending: Sendable {
        case returned(TestVerdict)
        case threw(String)
        case timedOut(Double)
        case interrupted(String)
    }

    private func runInProcess(_ planned: PlannedTest, suite: any Suite, attempt: Int, slot: Int, seed: UInt64, limit: Double?) async -> TestResult {
        let run = TestRun(id: planned.id, test: planned.testCase, runSeed: options.runSeed, worker: slot, timeout: limit,
                          configDirectory: options.configDirectory, scratchRoot: options.scratchRoot,
                          workerEnvironment: options.pool?.environment(slot) ?? ["MLRUN_WORKER": "0", "MLRUN_WORKERS": "1"],
                          outputEcho: options.pool?.echo(slot))
        // A suite that enforces limits itself gets a grace period before the runner steps in.
        let watchdog = limit.map { suite.enforcesTimeouts ? $0 + 10 : $0 }
        let interruption = interruption
        let record = await run.run(suite) { suite, test, context in
            switch await Runner.race(suite: suite, test: test, context: context, limit: watchdog, interruption: interruption) {
            case .returned(let returned): return returned
            case .threw(let message): return .failed(message)
            case .timedOut: return .timeout("exceeded its time limit of \(ProtocolSession.format(limit ?? 0)) s")
            case .interrupted(let signal): return .skipped("interrupted by \(signal) while running")
            }
        }
        return TestResult(id: planned.id, plugin: planned.plugin, markers: planned.markers, outcome: record.verdict.outcome,
                          message: record.verdict.message, duration: record.duration, worker: slot, attempts: attempt, seed: seed,
                          values: record.values, stdout: record.stdout, stderr: record.stderr)
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
