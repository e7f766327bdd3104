import Foundation
import MLRunCore

extension PluginVerifier {
    /// The checks of one suite object, in the order the runner uses a suite: collect, run
    /// tests, `finish()`. Either the plain pass (`runAlone`), which runs each test to its end,
    /// or one probe (`run(_:)`) on a suite made afresh for it.
    struct SuiteCheck {
        /// The ways of running tests the verifier probes, each on suites of its own.
        enum Probe: CaseIterable {
            case timeouts, cancellation, perWorker

            func applies(to suite: any Suite) -> Bool {
                switch self {
                case .timeouts: suite.enforcesTimeouts
                case .cancellation: true
                case .perWorker: suite.concurrency == .perWorker
                }
            }
        }

        let suite: any Suite
        let directory: URL
        let runSeed: UInt64
        let limits: Limits
        /// Where the tests' temporary folders are made; removed at the end.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-verifier-\(UUID().uuidString)")
        var problems: [String] = []
        /// Each test's record when it ran alone to its end, by name: what the plain pass saw.
        var alone: [String: TestRun.Record]
        /// A run neither returned nor stopped when cancelled, so it may still be running: the
        /// suite's later runs would overlap it, which the contract does not allow, and are skipped.
        var abandoned = false
        /// Whether tests ran on two workers at once, for `finish()`'s message.
        var ranConcurrently = false

        init(suite: any Suite, directory: URL, runSeed: UInt64, limits: Limits, alone: [String: TestRun.Record] = [:]) {
            self.suite = suite
            self.directory = directory
            self.runSeed = runSeed
            self.limits = limits
            self.alone = alone
        }

        /// The plain pass: collects (twice), runs each test to its end and keeps its record in
        /// `alone`, finishes.
        mutating func runAlone() async {
            defer { try? FileManager.default.removeItem(at: scratch) }
            if let tests = await collected() {
                for (test, record) in zip(tests, await runEach(tests)) { alone[test.name] = record }
            }
            await checkFinish()
        }

        /// One probe: collects, runs the tests the probe's way, finishes. A suite that cannot
        /// collect was reported by the plain pass.
        mutating func run(_ probe: Probe) async {
            defer { try? FileManager.default.removeItem(at: scratch) }
            if let tests = try? await suite.collect() {
                switch probe {
                case .timeouts: await checkTimeouts(tests)
                case .cancellation: await checkCancellation(tests)
                case .perWorker: await checkPerWorker(tests)
                }
            }
            await checkFinish()
        }

        /// Collects twice and checks the names; nil when `collect()` fails.
        mutating func collected() async -> [TestCase]? {
            do throws(SuiteError) {
                let first = try await suite.collect()
                let second = try await suite.collect()
                let names = first.map(\.name)
                if names != second.map(\.name) {
                    problems.append("suite '\(suite.name)': collect() gave different tests on a second call; ids must be stable")
                }
                if Set(names).count != names.count {
                    problems.append("suite '\(suite.name)': collect() gave duplicate test names")
                }
                for name in names where name.isEmpty || name.contains(where: \.isNewline) {
                    problems.append("suite '\(suite.name)': test name \(String(reflecting: name)) is empty or has a line break")
                }
                return first
            } catch {
                problems.append("suite '\(suite.name)': collect() failed on a valid config: \(error.message)")
                return nil
            }
        }

        /// Runs each test once to its end, as a plain run does, and checks its outcome.
        mutating func runEach(_ tests: [TestCase]) async -> [TestRun.Record] {
            var records: [TestRun.Record] = []
            for test in tests {
                // A thrown error is a legitimate failure of the test.
                let record = await testRun(test, timeout: test.timeout).run(suite)
                if record.verdict.outcome == .collected {
                    problems.append("\(id(test)): run returned the outcome 'collected', which only --collect-only reports use")
                }
                records.append(record)
            }
            return records
        }

        /// Checks that `finish()` returns within the grace.
        mutating func checkFinish() async {
            let suite = self.suite
            let finishing = Pending.start { await suite.finish() }
            if await finishing.value(within: limits.grace) == nil {
                let after = ranConcurrently ? " after tests ran on two workers at once" : ""
                problems.append(
                    "suite '\(suite.name)': finish() did not return within \(format(limits.grace))\(after); "
                        + "it must return promptly (stop what is left rather than wait for it)")
            }
        }

        /// Cancels `pending` and waits the grace for it; notes a problem, and that the suite
        /// is abandoned, when it does not come back.
        mutating func stop(_ pending: Pending<TestRun.Record>, _ test: TestCase) async {
            pending.cancel()
            if await pending.value(within: limits.grace) != nil { return }
            problems.append(cancellationProblem(test))
            abandoned = true
        }

        /// The problem of a run still going `limits.grace` after its task was cancelled.
        func cancellationProblem(_ test: TestCase) -> String {
            "\(id(test)): run(_:context:) was still running \(format(limits.grace)) after its task was cancelled; "
                + "on cancellation a test must stop as soon as possible and return (check Task.isCancelled, "
                + "or wait in ways that end on cancellation, such as Task.sleep)"
        }

        /// How long a run of `test` may take after the plain pass, on a busy machine: twice
        /// its time then, plus the grace.
        func bound(_ test: TestCase) -> Duration {
            .seconds(2 * aloneDuration(test)) + limits.grace
        }

        /// How long `test` took in the plain pass (0 if it did not run there).
        func aloneDuration(_ test: TestCase) -> Double {
            alone[test.name]?.duration ?? 0
        }

        /// A test run the way the runner's in-process executor makes one.
        func testRun(_ test: TestCase, worker: Int = 0, workers: Int = 1, timeout: Double?) -> TestRun {
            TestRun(
                id: id(test), test: test, runSeed: runSeed, worker: worker, timeout: timeout, configDirectory: directory,
                scratchRoot: scratch, workerEnvironment: ["MLRUN_WORKER": String(worker), "MLRUN_WORKERS": String(workers)])
        }

        /// Starts `run` of the suite on a task of its own (`cancelled`: already cancelled).
        func start(_ run: TestRun, cancelled: Bool = false) -> Pending<TestRun.Record> {
            let suite = self.suite
            return Pending.start(cancelled: cancelled) { await run.run(suite) }
        }

        func id(_ test: TestCase) -> TestID { TestID(suite: suite.name, name: test.name) }
    }
}

extension PluginVerifier.SuiteCheck {
    /// Seconds as a person reads them: "3 s", "0.05 s", "1.27 s".
    func format(_ duration: Duration) -> String {
        format(seconds: duration.inSeconds)
    }

    /// Seconds as a person reads them, to two decimals at most.
    func format(seconds: Double) -> String {
        if seconds > 0 && seconds < 0.005 { return "under 0.01 s" }
        let rounded = (seconds * 100).rounded() / 100
        return (rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) + " s"
    }
}
