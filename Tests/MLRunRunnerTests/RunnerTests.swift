import Foundation
import MLRunCore
import MLRunRunner
import MLRunTestSupport
import Testing

/// The runner assembled as the command line uses it, in-process, on a fake clock.
@Suite struct RunnerTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "boom: weights are NaN" } }

    let clock = FakeClock()

    func run(
        _ suite: ScriptedSuite, maxFail: Int? = nil, timeout: Double? = nil, interruption: Interruption = Interruption(),
        selection: Selection = Selection()
    ) async throws -> (RunSummary, [RunEvent]) {
        let plan = try await Plans.plan([suite], selection: selection)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-runner-test-\(UUID().uuidString)")
        let runner = Runner(
            plan: plan,
            options: RunOptions(
                runSeed: 7, maxFail: maxFail, timeout: timeout, scratchRoot: scratch,
                configDirectory: URL(fileURLWithPath: "/")),
            interruption: interruption, clock: clock)
        let events = EventLog()
        let summary = await runner.run { events.append($0) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path), "the scratch folder is removed")
        return (summary, events.events)
    }

    func results(_ events: [RunEvent]) -> [String: TestResult] {
        var map: [String: TestResult] = [:]
        for case .testFinished(let result) in events { map[result.id.name] = result }
        return map
    }

    @Test func outcomesValuesSeedsAndExitCode() async throws {
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("pass") { context in
                    context.record("value", 0.93)
                    context.record("threshold", 0.9)
                    context.attach(stdout: "hello\n")
                    let folder = try context.temporaryDirectory()
                    try Data("x".utf8).write(to: folder.appendingPathComponent("f"))
                    return .passed
                },
                .init("fail") { _ in .failed("auc 0.71 < 0.90") },
                .init("throws") { _ in throw Boom() },
                .init("skip") { _ in .skipped("no GPU") },
            ])
        let (summary, events) = try await run(suite)
        let byName = results(events)
        #expect(byName["pass"]?.outcome == .passed)
        #expect(byName["pass"]?.values.map(\.0) == ["value", "threshold"])
        #expect(byName["pass"]?.stdout == "hello\n")
        #expect(byName["pass"]?.seed == Seeds.testSeed(runSeed: 7, id: TestID(suite: "s", name: "pass")))
        #expect(byName["fail"]?.message == "auc 0.71 < 0.90")
        #expect(byName["throws"]?.outcome == .failed)
        #expect(byName["throws"]?.message == "boom: weights are NaN")
        #expect(byName["skip"]?.outcome == .skipped)
        #expect(summary.exitCode == .testsFailed)
        #expect(summary[.passed] == 1 && summary[.failed] == 2 && summary[.skipped] == 1)
    }

    @Test func maxfailSkipsTheRestWithAReason() async throws {
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("a") { _ in .failed("1") }, .init("b") { _ in .failed("2") }, .init("c"), .init("d"),
            ])
        let (summary, events) = try await run(suite, maxFail: 2)
        let byName = results(events)
        #expect(byName["c"]?.outcome == .skipped)
        #expect(byName["c"]?.message == "not run: --maxfail 2 reached")
        #expect(byName["d"]?.attempts == 0)
        #expect(summary[.failed] == 2 && summary[.skipped] == 2)
    }

    @Test func aTestThatIgnoresCancellationTimesOutAndTheRunGoesOn() async throws {
        let stuck = FakeClock()
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("hangs", timeout: 0.2) { _ in
                    // Waits on something its cancellation does not reach, like a stuck native call.
                    await Task.detached { await stuck.untilCancelled() }.value
                    return .passed
                },
                .init("after"),
            ])
        async let run = run(suite)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: 0.2)
        // The run ends while "hangs" can only end when `stuck` moves: the runner did not wait for it.
        let (summary, events) = try await run
        let byName = results(events)
        #expect(byName["hangs"]?.outcome == .timeout)
        #expect(byName["hangs"]?.message == "exceeded its time limit of 0.2 s")
        #expect(byName["after"]?.outcome == .passed)
        #expect(summary.exitCode == .testsFailed)
        await stuck.sleepers(atLeast: 1)
        stuck.advance(by: .infinity)
    }

    @Test func defaultTimeoutAppliesToTestsWithoutTheirOwn() async throws {
        let clock = clock
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("sleeps") { _ in
                    try await clock.sleep(for: 30); return .passed
                }
            ])
        async let run = run(suite, timeout: 0.1)
        await clock.sleepers(atLeast: 2)  // the test and its timer
        clock.advance(by: 0.1)
        let (_, events) = try await run
        #expect(results(events)["sleeps"]?.outcome == .timeout)
    }

    @Test func interruptStopsTheRunningTestAndSkipsTheRest() async throws {
        let interruption = Interruption()
        let clock = clock
        let suite = ScriptedSuite(
            name: "s",
            scripts: [
                .init("a"),
                .init("b") { _ in
                    interruption.trigger("SIGINT")
                    try await clock.sleep(for: 30)
                    return .passed
                },
                .init("c"),
            ])
        let (summary, events) = try await run(suite, interruption: interruption)
        let byName = results(events)
        #expect(byName["a"]?.outcome == .passed)
        #expect(byName["b"]?.outcome == .skipped)
        #expect(byName["b"]?.message == "interrupted by SIGINT while running")
        #expect(byName["c"]?.message == "not run: the run was interrupted (SIGINT)")
        #expect(summary.exitCode == .interrupted)
        #expect(summary.interruptedBy == "SIGINT")
    }

    @Test func noSelectedTestsIsExitFive() async throws {
        let suite = ScriptedSuite(name: "s", scripts: [.init("a", markers: [Marker("slow")])])
        let (summary, _) = try await run(suite, selection: Selection(markerExpression: try MatchExpression.parse("not slow")))
        #expect(summary.exitCode == .noTestsSelected)
    }
}
