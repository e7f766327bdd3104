import MLRunCore

/// Decides which test goes to which slot and when, and what becomes of its result: the
/// scheduling half of a run, with no notion of how a test is run (that is the launcher's).
///
/// Tests start in the plan's order, as slots free up, within the policy's group limits and
/// `--dist`. Where the launcher offers a lookahead, a slot also gets the tests reserved to
/// follow its test there (`Window` says how many), so its process can start them without a
/// round trip; reserved tests run next in that slot (before a retry queued meanwhile), or, if
/// the run stops, are reported as not run like every test not started. A failing test is retried (`--reruns`) before anything new starts; one that
/// passes on a retry is `passed`, flagged flaky. The run stops starting tests after
/// `--maxfail` failures, once more worker processes were lost than `--max-worker-restart`
/// allows, or on an interrupt (which also cancels the tests in flight); the tests it never
/// started are reported with the reason.
///
/// Every selected test ends with exactly one `testFinished` event, whatever happens;
/// `testStarted` comes only before its first attempt. Collection failures are reported
/// first, as `error`.
package struct Dispatcher: Sendable {
    /// The tests to run (`selected`, in the order they start) and the counts for the summary.
    package var plan: Plan
    package var policy: DispatchPolicy
    /// Stops the run: no test starts after it, and the tests in flight are cancelled.
    package var interruption: Interruption
    /// Measures the run's duration.
    package var clock: any RunClock
    /// Runs each attempt.
    package var launcher: any SlotLauncher

    package init(plan: Plan, policy: DispatchPolicy, interruption: Interruption, clock: any RunClock, launcher: any SlotLauncher) {
        self.plan = plan
        self.policy = policy
        self.interruption = interruption
        self.clock = clock
        self.launcher = launcher
    }

    /// Runs the plan's selected tests, sending every event but `runStarted` and
    /// `runFinished` to `emit` (from this task, in order); returns the counts, the exit code
    /// and the duration by `clock`.
    package func run(emit: (RunEvent) -> Void) async -> RunSummary {
        let start = clock.now
        var tally = Tally(policy: policy)
        for failure in plan.collectionFailures {
            tally.count(failure.result.outcome)
            emit(.testFinished(failure.result))
        }

        var schedule = Schedule(tests: plan.selected, policy: policy)
        var window = Window(slots: policy.slots)
        await withTaskGroup(of: (Schedule.Assignment, SlotOutcome).self) { group in
            var running = 0
            while true {
                if tally.stop == nil, !interruption.isInterrupted {
                    while let assignment = schedule.next() {
                        if assignment.attempt == 1 { emit(.testStarted(assignment.test)) }
                        running += 1
                        var upcoming: [PlannedTest] = []
                        if let lookahead = launcher.lookahead(for: assignment.test) {
                            upcoming = schedule.reserve(
                                after: assignment, lookahead: lookahead, count: window.size(assignment.slot) - 1,
                                lane: launcher.lookahead(for:))
                        }
                        group.addTask { [launcher, interruption, upcoming] in
                            let outcome = await interruption.cancellingOnInterrupt {
                                await launcher.launch(
                                    assignment.test, attempt: assignment.attempt, slot: assignment.slot, upcoming: upcoming)
                            }
                            return (assignment, outcome)
                        }
                    }
                }
                if running == 0 { break }
                guard let (assignment, outcome) = await group.next() else { break }
                running -= 1
                schedule.release(assignment)
                window.record(slot: assignment.slot, duration: outcome.result.duration, processLost: outcome.processLost)
                if outcome.processLost { tally.restarts += 1 }
                if outcome.result.outcome.isFailure, assignment.attempt <= policy.reruns, !interruption.isInterrupted, tally.stop == nil {
                    schedule.retry(assignment)
                    continue
                }
                emit(.testFinished(tally.finish(outcome.result, of: assignment)))
            }
        }

        for left in schedule.left {
            let result = tally.notRun(left.test, attempts: left.attempt - 1, interruptedBy: interruption.signal)
            emit(.testFinished(result))
        }

        let exitCode = MLRunExitCode.of(interrupted: interruption.isInterrupted, counts: tally.counts, selected: plan.selected.count)
        return RunSummary(
            collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected.count,
            counts: tally.counts, duration: clock.now - start, interruptedBy: interruption.signal,
            exitCode: exitCode, flaky: tally.flaky.sorted())
    }
}
