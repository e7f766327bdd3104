import MLRunCore

extension Dispatcher {
    /// What the dispatcher has reported so far, and whether it has stopped starting tests.
    struct Tally {
        /// Why the run stopped starting tests, and what the tests it never started count as.
        struct Stop {
            var reason: String
            var outcome: Outcome
        }

        let policy: DispatchPolicy
        private(set) var counts: [Outcome: Int] = [:]
        /// Tests that passed only on a retry.
        private(set) var flaky: [TestID] = []
        private(set) var failures = 0
        /// Worker processes lost so far.
        var restarts = 0
        private(set) var stop: Stop?

        init(policy: DispatchPolicy) {
            self.policy = policy
        }

        /// Counts a result reported outside `finish` and `notRun` (a collection failure).
        mutating func count(_ outcome: Outcome) {
            counts[outcome, default: 0] += 1
        }

        /// The final result of `assignment`'s test (flagged flaky when it passed on a retry,
        /// with why it was selected), counted; stops the run when `--maxfail` is reached or
        /// the restart budget is spent.
        mutating func finish(_ result: TestResult, of assignment: Schedule.Assignment) -> TestResult {
            var result = result
            if result.outcome == .passed, assignment.attempt > 1 {
                result.flaky = true
                flaky.append(result.id)
            }
            result.selectedBecause = assignment.test.selectedBecause
            count(result.outcome)
            if result.outcome.isFailure { failures += 1 }
            if stop == nil, let maxFail = policy.maxFail, failures >= maxFail {
                let reason = policy.exitFirst ? "not run: stopped after the first failure (-x)" : "not run: --maxfail \(maxFail) reached"
                stop = Stop(reason: reason, outcome: .skipped)
            }
            if stop == nil, let maxRestarts = policy.maxRestarts, restarts > maxRestarts {
                stop = Stop(
                    reason: "not run: worker processes were restarted \(restarts) times, over --max-worker-restart \(maxRestarts)",
                    outcome: .error)
            }
            return result
        }

        /// The result of a test the run never got to (again), counted: `skipped` after an
        /// interrupt, else as the stop says.
        mutating func notRun(_ test: PlannedTest, attempts: Int, interruptedBy signal: String?) -> TestResult {
            let reason = signal.map { "not run: the run was interrupted (\($0))" } ?? stop?.reason ?? "not run"
            let outcome = signal == nil ? stop?.outcome ?? .skipped : .skipped
            count(outcome)
            return TestResult(
                id: test.id, plugin: test.plugin, markers: test.markers, outcome: outcome, message: reason,
                attempts: attempts)
        }
    }
}
