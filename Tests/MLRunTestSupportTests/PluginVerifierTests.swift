import MLRunCore
import MLRunTestSupport
import Synchronization
import Testing

/// The verifier finds nothing wrong with a plugin that keeps the contract, and names each
/// way a deliberately broken one does not.
@Suite struct PluginVerifierTests {
    /// Holds its test to `context.timeout` itself: sleeps `Pace.moderate`, or its limit if
    /// that is shorter and then says so.
    static let selfTimed = ScriptedSuite.Script("self_timed") { context in
        if let limit = context.timeout, .seconds(limit) < Pace.moderate {
            try await Task.sleep(for: .seconds(limit))
            return .timeout("over its limit of \(limit) s")
        }
        try await Task.sleep(for: Pace.moderate)
        return .passed
    }

    static let wellBehavedScripts: [ScriptedSuite.Script] = [
        ScriptedSuite.Script("passes"),
        ScriptedSuite.Script("fails") { _ in .failed("1 != 2") },
        ScriptedSuite.Script("throws") { _ in throw SuiteError("a thrown error is a failure") },
        ScriptedSuite.Script("sleeps") { _ in
            try await Task.sleep(for: Pace.moderate)
            return .passed
        },
        ScriptedSuite.Script("seeded") { context in context.seed % 2 == 0 ? .passed : .skipped("odd seed") },
    ]

    @Test func aWellBehavedPluginHasNoProblems() async {
        let plugin = TestPlugin { name in
            switch name {
            case "per_worker": ScriptedSuite(name: name, scripts: Self.wellBehavedScripts, concurrency: .perWorker)
            case "timed": ScriptedSuite(name: name, scripts: Self.wellBehavedScripts + [Self.selfTimed], enforcesTimeouts: true)
            default: ScriptedSuite(name: name, scripts: Self.wellBehavedScripts)
            }
        }
        let problems = await plugin.verify(["in_process", "per_worker", "timed"])
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func anUnknownKeyAccepted() async {
        let plugin = TestPlugin(rejectsUnknownKeys: false) { ScriptedSuite(name: $0, scripts: [ScriptedSuite.Script("t")]) }
        #expect(
            await plugin.verify() == [
                "an unknown key in [[scripted]] was accepted; unknown keys must be errors (use ConfigTable.rejectUnknownKeys)"
            ])
    }

    @Test func duplicateNamesAndTheCollectedOutcome() async {
        let plugin = TestPlugin([
            ScriptedSuite.Script("t"), ScriptedSuite.Script("t"), ScriptedSuite.Script("c") { _ in TestVerdict(.collected) },
        ])
        #expect(
            await plugin.verify() == [
                "suite 's': collect() gave duplicate test names",
                "s::c: run returned the outcome 'collected', which only --collect-only reports use",
            ])
    }

    @Test func aTestThatIgnoresCancellation() async {
        let plugin = TestPlugin([
            ScriptedSuite.Script("stubborn") { _ in
                await Pace.sleepIgnoringCancellation(Pace.slow)
                return .passed
            }
        ])
        #expect(
            await plugin.verify(limits: quickLimits) == [
                "s::stubborn: run(_:context:) was still running 0.5 s after its task was cancelled; on cancellation a test must "
                    + "stop as soon as possible and return (check Task.isCancelled, or wait in ways that end on cancellation, "
                    + "such as Task.sleep)"
            ])
    }

    @Test func aCancelledTestThatBreaksTheOthers() async {
        let sticky = StickyStop()
        let plugin = TestPlugin(["a", "b"].map { name in ScriptedSuite.Script(name) { _ in try await sticky.run() } })
        let after = "after the suite's tests were cancelled, as the runner cancels a test over its time limit,"
        let advice = "a cancelled test must leave the suite able to run its other tests"
        #expect(
            await plugin.verify(limits: quickLimits) == [
                "s::a: \(after) it came back 'error' (interrupted), but 'passed' before; \(advice)",
                "s::b: \(after) it came back 'error' (interrupted), but 'passed' before; \(advice)",
            ])
    }

    @Test func aSuiteThatClaimsToEnforceTimeoutsButNeverTimesOut() async {
        let plugin = TestPlugin(
            enforcesTimeouts: true,
            [
                ScriptedSuite.Script("slow") { _ in
                    try await Task.sleep(for: Pace.slow)
                    return .passed
                }
            ])
        #expect(
            await plugin.verify(limits: quickLimits) == [
                "s::slow: the suite enforces timeouts (enforcesTimeouts is true), but the test was still running 0.5 s after its "
                    + "limit of 0.02 s; stop it at context.timeout and return .timeout(…), or leave enforcesTimeouts false and let "
                    + "the runner do it"
            ])
    }

    @Test func aSuiteThatStopsATestAtItsLimitButCallsItAFailure() async throws {
        struct OverTime: Error {}
        let plugin = TestPlugin(
            enforcesTimeouts: true,
            [
                ScriptedSuite.Script("slow") { context in
                    if let limit = context.timeout {
                        try await Task.sleep(for: .seconds(limit))
                        throw OverTime()
                    }
                    try await Task.sleep(for: Pace.slow)
                    return .passed
                }
            ])
        let problems = await plugin.verify(limits: quickLimits)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems)")
        #expect(problem.hasPrefix("s::slow: with a limit of 0.02 s it came back 'failed' after "), "\(problem)")
        #expect(
            problem.hasSuffix("without one; a suite that enforces timeouts must report a test it stops at its limit as .timeout(…)"),
            "\(problem)")
    }

    @Test func aSuiteThatEnforcesNothingIsLeftToTheRunner() async {
        let plugin = TestPlugin([
            ScriptedSuite.Script("slow") { _ in
                try await Task.sleep(for: Pace.slow)
                return .passed
            }
        ])
        #expect(await plugin.verify() == [])
    }

    @Test func aPerWorkerSuiteWhoseWorkersShareOneSession() async throws {
        let slot = SharedSlot()
        let plugin = TestPlugin(
            concurrency: .perWorker,
            ["a", "b", "c", "d"].map { name in
                ScriptedSuite.Script(name) { _ in try await slot.answer(name) }
            })
        let problems = await plugin.verify(limits: quickLimits)
        try #require(!problems.isEmpty)
        for problem in problems {
            #expect(problem.contains(", while worker "), "\(problem)")
            #expect(
                problem.contains("but 'passed' when run alone; a .perWorker suite must keep each context.worker's tests apart"),
                "\(problem)")
        }
    }

    @Test func aPerWorkerSuiteWhoseWorkersWaitForEachOther() async throws {
        let slot = SharedSlot()
        let plugin = TestPlugin(
            concurrency: .perWorker,
            ["a", "b"].map { name in
                ScriptedSuite.Script(name) { _ in try await slot.waitForOthers() }
            })
        let problems = await plugin.verify(limits: quickLimits)
        try #require(problems.count == 2, "\(problems)")
        #expect(problems[0].hasPrefix("s::a: on worker 0, while worker 1 ran the suite's other tests, it did not come back within "))
        #expect(problems[1].hasPrefix("s::b: on worker 1, while worker 0 ran the suite's other tests, it did not come back within "))
        for problem in problems {
            #expect(problem.hasSuffix("a .perWorker suite must let each worker run on its own, without waiting for the others"))
        }
    }

    @Test func anInProcessSuiteIsNeverRunConcurrently() async {
        let slot = SharedSlot()
        let plugin = TestPlugin(["a", "b", "c"].map { name in ScriptedSuite.Script(name) { _ in try await slot.answer(name) } })
        #expect(await plugin.verify() == [])
    }

    @Test func aFinishThatTakesTooLong() async {
        let plugin = TestPlugin { SlowFinishSuite(name: $0) }
        #expect(
            await plugin.verify(limits: quickLimits) == [
                "suite 's': finish() did not return within 0.5 s; it must return promptly (stop what is left rather than wait for it)"
            ])
    }
}
