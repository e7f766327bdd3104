import MLRunCore

extension InProcessExecutor {
    /// One in-process test against its limit and an interrupt: whichever ends first decides.
    struct Race: Sendable {
        /// How the test's run ended, from the executor's point of view.
        enum Ending: Sendable {
            case returned(TestVerdict)
            case threw(String)
            case timedOut(Double)
            case interrupted(String)
        }

        /// Seconds the test may take, if limited.
        var limit: Double?
        var interruption: Interruption
        var clock: any RunClock

        /// Runs the test on a task of its own and waits for the first of: it returns, it
        /// throws, `limit` passes on `clock`, the calling task is cancelled (an interrupt).
        /// The loser's task is cancelled; a test that ignores that is not waited for.
        func run(suite: any Suite, test: TestCase, context: TestContext) async -> Ending {
            let gate = Gate<Ending>()
            let (limit, interruption, clock) = (self.limit, self.interruption, self.clock)
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Ending, Never>) in
                    let task = Task {
                        do {
                            gate.resume(.returned(try await suite.run(test, context: context)))
                        } catch {
                            gate.resume(.threw(String(describing: error)))
                        }
                    }
                    let timer: Task<Void, Never>? = limit.map { limit in
                        Task {
                            do {
                                try await clock.sleep(for: limit)
                                gate.resume(.timedOut(limit))
                            } catch {
                                // Cancelled: the test ended first.
                            }
                        }
                    }
                    gate.onResolve {
                        timer?.cancel()
                        task.cancel()
                    }
                    gate.arm(continuation)
                }
            } onCancel: {
                gate.resume(.interrupted(interruption.signal ?? "SIGINT"))
            }
        }
    }
}
