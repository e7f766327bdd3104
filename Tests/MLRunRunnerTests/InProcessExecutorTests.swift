import Foundation
import MLRunCore
import MLRunRunner
import MLRunTestSupport
import Testing

/// The in-process executor's race of test, time limit and interrupt, on a fake clock.
@Suite struct InProcessExecutorTests {
    let clock = FakeClock()
    let interruption = Interruption()

    func executor(_ suite: any Suite, timeout: Double? = nil) -> InProcessExecutor {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-executor-test-\(UUID().uuidString)")
        let options = RunOptions(runSeed: 7, timeout: timeout, scratchRoot: scratch, configDirectory: URL(fileURLWithPath: "/"))
        return InProcessExecutor(suites: [suite], options: options, interruption: interruption, clock: clock)
    }

    func launch(_ suite: any Suite, timeout: Double? = nil, attempt: Int = 1) async throws -> SlotOutcome {
        let plan = try await Plans.plan([suite])
        return await executor(suite, timeout: timeout).launch(plan.selected[0], attempt: attempt, slot: 0)
    }

    @Test func aReturningTestKeepsItsVerdictValuesSeedAndSlot() async throws {
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("t") { context in
                    context.record("MLRUN_WORKERS", .string(context.workerEnvironment["MLRUN_WORKERS"] ?? ""))
                    _ = try context.temporaryDirectory()
                    return .failed("auc 0.71 < 0.90")
                }
            ])
        let outcome = try await launch(suite, attempt: 2)
        #expect(outcome.result.outcome == .failed && outcome.result.message == "auc 0.71 < 0.90")
        #expect(outcome.result.values.first?.1 == .string("1"), "one worker in-process")
        #expect(outcome.result.seed == Seeds.testSeed(runSeed: 7, id: TestID(suite: "s", name: "t")))
        #expect(outcome.result.attempts == 2 && outcome.result.worker == 0)
        #expect(!outcome.processLost)
    }

    @Test func aThrownErrorIsAFailureWithItsDescription() async throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom: weights are NaN" } }
        let suite = ScriptedSuite(name: "s", scripts: [.init("t") { _ in throw Boom() }])
        let outcome = try await launch(suite)
        #expect(outcome.result.outcome == .failed && outcome.result.message == "boom: weights are NaN")
    }

    @Test func theLimitPassingOnTheClockIsATimeout() async throws {
        let clock = clock
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("t", timeout: 0.25) { _ in
                    await clock.untilCancelled()
                    return .passed
                }
            ])
        async let outcome = launch(suite, timeout: 60)
        await clock.sleepers(atLeast: 2)  // the test and its timer
        clock.advance(by: 0.25)
        let result = try await outcome.result
        #expect(result.outcome == .timeout)
        #expect(result.message == "exceeded its time limit of 0.25 s", "the test's own limit beats the default")
    }

    @Test func aTestThatIgnoresCancellationIsLeftBehind() async throws {
        let stuck = FakeClock()
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("t") { _ in
                    // A wait the test's cancellation does not reach, like a stuck native call.
                    await Task.detached { await stuck.untilCancelled() }.value
                    return .passed
                }
            ])
        async let outcome = launch(suite, timeout: 1)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: 1)
        // The launch returns while the test can only end when `stuck` moves.
        #expect(try await outcome.result.outcome == .timeout)
        await stuck.sleepers(atLeast: 1)
        stuck.advance(by: .infinity)
    }

    @Test func aSuiteThatEnforcesLimitsGetsGraceBeforeTheExecutorStepsIn() async throws {
        let obeying = try await launchDriving(
            SelfTimedSuite(clock: clock, obeys: true), timeout: 1,
            driving: { clock in
                clock.advance(by: 1)
            })
        #expect(obeying.result.message == "killed by the suite at its limit")
        let ignoring = try await launchDriving(
            SelfTimedSuite(clock: clock, obeys: false), timeout: 1,
            driving: { clock in
                clock.advance(by: 1)
                #expect(clock.sleeping == 2, "at the limit the executor still waits")
                clock.advance(by: 10)
            })
        #expect(ignoring.result.outcome == .timeout)
        #expect(ignoring.result.message == "exceeded its time limit of 1 s")
    }

    /// Launches the one test of `suite` while `driving` moves the clock, once the test and the
    /// executor's timer both sleep on it.
    func launchDriving(_ suite: SelfTimedSuite, timeout: Double, driving: (FakeClock) -> Void) async throws -> SlotOutcome {
        let plan = try await Plans.plan([suite])
        let before = clock.sleeping
        async let outcome = executor(suite, timeout: timeout).launch(plan.selected[0], attempt: 1, slot: 0)
        await clock.sleepers(atLeast: before + 2)
        driving(clock)
        return await outcome
    }

    @Test func cancellingTheLaunchIsAnInterrupt() async throws {
        let (interruption, clock) = (interruption, clock)
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("t") { _ in
                    interruption.trigger("SIGTERM")
                    await clock.untilCancelled()
                    return .passed
                }
            ])
        let plan = try await Plans.plan([suite])
        let executor = executor(suite)
        let outcome = await interruption.cancellingOnInterrupt { await executor.launch(plan.selected[0], attempt: 1, slot: 0) }
        #expect(outcome.result.outcome == .skipped)
        #expect(outcome.result.message == "interrupted by SIGTERM while running")
    }
}

/// A suite that holds its tests to `context.timeout` itself, by the fake clock (or, when it
/// does not obey, sleeps until cancelled).
final class SelfTimedSuite: Suite {
    let name = "timed"
    let plugin = "test"
    let markers: [Marker] = []
    let paths: [String] = []
    let clock: FakeClock
    let obeys: Bool

    var enforcesTimeouts: Bool { true }

    init(clock: FakeClock, obeys: Bool) {
        self.clock = clock
        self.obeys = obeys
    }

    func collect() async throws(SuiteError) -> [TestCase] { [TestCase(name: "t")] }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        guard obeys, let limit = context.timeout else {
            await clock.untilCancelled()
            return .passed
        }
        try await clock.sleep(for: limit)
        return .timeout("killed by the suite at its limit")
    }
}
