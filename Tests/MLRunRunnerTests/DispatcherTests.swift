import MLRunCore
import MLRunRunner
import Testing

/// The dispatcher against a fake launcher and a fake clock: every test here ends when its
/// own code says so, never after a wait on real time.
@Suite struct DispatcherTests {
    typealias Reply = FakeLauncher.Reply

    /// Dispatches `plan`; checks what every run must hold (one `testFinished` per selected
    /// test and collection failure, `testStarted` once per launched test, no slot used
    /// twice at once).
    func dispatch(
        _ plan: Plan, policy: DispatchPolicy = DispatchPolicy(), launcher: FakeLauncher = FakeLauncher(),
        interruption: Interruption = Interruption(), clock: FakeClock = FakeClock()
    ) async -> (RunSummary, EventLog) {
        let log = EventLog()
        let dispatcher = Dispatcher(plan: plan, policy: policy, interruption: interruption, clock: clock, launcher: launcher)
        let summary = await dispatcher.run { log.append($0) }
        let expected = plan.collectionFailures.map(\.id.description) + plan.selected.map(\.id.description)
        #expect(log.finished.map(\.id.description).sorted() == expected.sorted(), "exactly one testFinished per test")
        let started = log.events.compactMap { if case .testStarted(let test) = $0 { test.id.description } else { nil } }
        #expect(started.sorted() == Set(launcher.launches.map(\.id.description)).sorted(), "testStarted once per launched test")
        #expect(launcher.slotClashes == 0, "at most one launch per slot at a time")
        return (summary, log)
    }

    @Test func testsStartInThePlansOrderAndTheSummaryCountsThem() async throws {
        let plan = try await Plans.plan([Plans.suite("s", ["slow", "fast", "mid"])])
        let clock = FakeClock()
        let launcher = FakeLauncher { _ in
            clock.advance(by: 1.5)
            return Reply(verdict: .passed)
        }
        let (summary, log) = await dispatch(plan, launcher: launcher, clock: clock)
        #expect(launcher.launches.map(\.description) == ["slow#1@0", "fast#1@0", "mid#1@0"])
        #expect(log.started == ["slow", "fast", "mid"])
        #expect(summary.exitCode == .ok)
        #expect(summary[.passed] == 3 && summary.selected == 3 && summary.collected == 3)
        #expect(summary.duration == 4.5, "measured with the run's clock")
    }

    @Test func groupLimitsAreNeverExceededWhileOthersFillTheSlots() async throws {
        let plan = try await Plans.plan([
            Plans.suite(
                "g",
                [
                    "a:gpu_box", "b:gpu_box", "c:gpu_box", "d:serial", "e:serial", "f:serial", "x", "y", "z",
                ])
        ])
        let launcher = FakeLauncher()
        let policy = DispatchPolicy(slots: 4, groups: ["gpu_box": 1, "serial": 2])
        let (summary, log) = await dispatch(plan, policy: policy, launcher: launcher)
        #expect(summary[.passed] == 9)
        #expect(launcher.mostRunning["gpu_box"] == 1)
        #expect((launcher.mostRunning["serial"] ?? 0) <= 2)
        // The dispatcher's own view, from its events: a test holds its groups from
        // testStarted to testFinished. The first round fills the limits exactly.
        var running: [String: Int] = [:]
        var most: [String: Int] = [:]
        for event in log.events {
            switch event {
            case .testStarted(let test):
                for marker in test.markers {
                    running[marker.name, default: 0] += 1
                    most[marker.name] = max(most[marker.name, default: 0], running[marker.name]!)
                }
            case .testFinished(let result):
                for marker in result.markers { running[marker.name, default: 0] -= 1 }
            default: break
            }
        }
        #expect(most == ["gpu_box": 1, "serial": 2])
        #expect(Array(log.started.prefix(4)) == ["a", "d", "e", "x"], "held-back tests let later ones start")
    }

    @Test func distSuiteKeepsEachSuiteOnOneSlot() async throws {
        let plan = try await Plans.plan([Plans.suite("one", ["a", "b", "c", "d"]), Plans.suite("two", ["a", "b", "c", "d"])])
        let (_, log) = await dispatch(plan, policy: DispatchPolicy(slots: 3, distribution: .suite))
        var slots: [String: Set<Int>] = [:]
        for result in log.finished { slots[result.id.suite, default: []].insert(result.worker) }
        #expect(slots["one"]?.count == 1 && slots["two"]?.count == 1)
        #expect(slots["one"] != slots["two"], "the two suites went to different slots")
        let (_, load) = await dispatch(plan, policy: DispatchPolicy(slots: 3, distribution: .load))
        #expect(Set(load.finished.filter { $0.id.suite == "one" }.map(\.worker)).count > 1, "--dist load spreads a suite")
    }

    @Test func rerunsRetryFirstAndMarkFlakyTests() async throws {
        let plan = try await Plans.plan([Plans.suite("r", ["f", "bad", "ok"])])
        let launcher = FakeLauncher { launch in
            switch launch.name {
            case "f": Reply(verdict: launch.attempt == 1 ? .failed("first try") : .passed)
            case "bad": Reply(verdict: .failed("always \(launch.attempt)"))
            default: Reply(verdict: .passed)
            }
        }
        let (summary, log) = await dispatch(plan, policy: DispatchPolicy(reruns: 2), launcher: launcher)
        #expect(
            launcher.launches.map(\.description) == ["f#1@0", "f#2@0", "bad#1@0", "bad#2@0", "bad#3@0", "ok#1@0"],
            "a retry goes before anything new")
        #expect(log.started == ["f", "bad", "ok"])
        let byName = log.byName
        #expect(byName["f"]?.outcome == .passed && byName["f"]?.attempts == 2 && byName["f"]?.flaky == true)
        #expect(byName["bad"]?.outcome == .failed && byName["bad"]?.attempts == 3 && byName["bad"]?.flaky == false)
        #expect(byName["bad"]?.message == "always 3", "the last attempt's verdict")
        #expect(byName["ok"]?.flaky == false)
        #expect(summary.flaky == [TestID(suite: "r", name: "f")])
        #expect(summary[.passed] == 2 && summary[.failed] == 1)
        #expect(summary.exitCode == .testsFailed)
    }

    @Test(arguments: [(2, false, "not run: --maxfail 2 reached"), (1, true, "not run: stopped after the first failure (-x)")])
    func maxfailSkipsTheRestWithTheReason(maxFail: Int, exitFirst: Bool, message: String) async throws {
        let plan = try await Plans.plan([Plans.suite("s", ["a", "b", "c", "d"])])
        let launcher = FakeLauncher { launch in Reply(verdict: ["a", "b"].contains(launch.name) ? .failed(launch.name) : .passed) }
        let (summary, log) = await dispatch(plan, policy: DispatchPolicy(maxFail: maxFail, exitFirst: exitFirst), launcher: launcher)
        #expect(launcher.launches.count == maxFail)
        for name in ["c", "d"] {
            #expect(log.byName[name]?.outcome == .skipped)
            #expect(log.byName[name]?.message == message)
            #expect(log.byName[name]?.attempts == 0)
        }
        #expect(summary[.failed] == maxFail && summary[.skipped] == 4 - maxFail)
        #expect(summary.exitCode == .testsFailed)
    }

    @Test func anExhaustedRestartBudgetGivesUpOnTheRestAsErrors() async throws {
        let plan = try await Plans.plan([Plans.suite("c", ["a", "b", "c", "d", "e"])])
        let crashing: @Sendable (FakeLauncher.Launch) async -> Reply = { launch in
            ["a", "b", "c"].contains(launch.name)
                ? Reply(verdict: .crashed("worker 0 exited with status 3"), processLost: true)
                : Reply(verdict: .passed)
        }
        let launcher = FakeLauncher(crashing)
        let (summary, log) = await dispatch(plan, policy: DispatchPolicy(slots: 1, maxRestarts: 1), launcher: launcher)
        #expect(launcher.launches.map(\.name) == ["a", "b"])
        #expect(log.byName["a"]?.outcome == .crashed && log.byName["b"]?.outcome == .crashed)
        for name in ["c", "d", "e"] {
            #expect(log.byName[name]?.outcome == .error)
            #expect(log.byName[name]?.message == "not run: worker processes were restarted 2 times, over --max-worker-restart 1")
        }
        #expect(summary.exitCode == .testsFailed)
        // In-process (no budget) lost processes never stop the run.
        let (unlimited, _) = await dispatch(plan, policy: DispatchPolicy(slots: 1), launcher: FakeLauncher(crashing))
        #expect(unlimited[.crashed] == 3 && unlimited[.passed] == 2)
    }

    @Test func anInterruptCancelsTheTestsInFlightAndSkipsTheRest() async throws {
        let plan = try await Plans.plan([Plans.suite("s", ["a", "b", "c", "d", "e"])])
        let interruption = Interruption()
        let clock = FakeClock()
        let launcher = FakeLauncher { launch in
            switch launch.name {
            case "b":
                // b waits for c to be running too, then the user presses Ctrl-C.
                await clock.sleepers(atLeast: 1)
                interruption.trigger("SIGINT")
                await clock.untilCancelled()
                return Reply(verdict: .skipped("interrupted by \(interruption.signal ?? "?") while running"))
            case "c":
                await clock.untilCancelled()
                return Reply(verdict: .skipped("interrupted by \(interruption.signal ?? "?") while running"))
            default:
                return Reply(verdict: .passed)
            }
        }
        let (summary, log) = await dispatch(
            plan, policy: DispatchPolicy(slots: 2), launcher: launcher, interruption: interruption,
            clock: clock)
        #expect(log.byName["a"]?.outcome == .passed)
        for name in ["b", "c"] {
            #expect(log.byName[name]?.outcome == .skipped)
            #expect(log.byName[name]?.message == "interrupted by SIGINT while running")
        }
        for name in ["d", "e"] {
            #expect(log.byName[name]?.outcome == .skipped)
            #expect(log.byName[name]?.message == "not run: the run was interrupted (SIGINT)")
        }
        #expect(!launcher.launches.contains { ["d", "e"].contains($0.name) })
        #expect(summary.exitCode == .interrupted)
        #expect(summary.interruptedBy == "SIGINT")
    }

    @Test func aFailureInFlightAtTheInterruptIsNotRetried() async throws {
        let plan = try await Plans.plan([Plans.suite("s", ["a", "b"])])
        let interruption = Interruption()
        let launcher = FakeLauncher { _ in
            interruption.trigger("SIGTERM")
            return Reply(verdict: .failed("lost its data mid-way"))
        }
        let (summary, log) = await dispatch(plan, policy: DispatchPolicy(reruns: 3), launcher: launcher, interruption: interruption)
        #expect(launcher.launches.count == 1)
        #expect(log.byName["a"]?.outcome == .failed && log.byName["a"]?.attempts == 1)
        #expect(log.byName["b"]?.message == "not run: the run was interrupted (SIGTERM)")
        #expect(summary.exitCode == .interrupted)
    }

    @Test func collectionFailuresComeFirstAsErrors() async throws {
        var plan = try await Plans.plan([Plans.suite("broken", [], collectError: "no such file: data.csv"), Plans.suite("s", ["a"])])
        plan.selected[0].selectedBecause = "changed: model.py"
        let (summary, log) = await dispatch(plan)
        #expect(log.finished.map(\.id.description) == ["broken::(discovery)", "s::a"])
        #expect(log.finished.first?.outcome == .error)
        #expect(log.finished.first?.message == "no such file: data.csv")
        #expect(log.byName["a"]?.selectedBecause == "changed: model.py", "why it was selected is copied into the result")
        #expect(summary[.error] == 1 && summary[.passed] == 1)
        #expect(summary.exitCode == .testsFailed)
    }

    @Test func exitCodes() async throws {
        let plan = try await Plans.plan([Plans.suite("s", ["a", "b"])])
        let (passing, _) = await dispatch(plan)
        #expect(passing.exitCode == .ok)
        let (skipping, _) = await dispatch(plan, launcher: FakeLauncher { _ in Reply(verdict: .skipped("no GPU")) })
        #expect(skipping.exitCode == .ok)
        let (timingOut, _) = await dispatch(
            plan,
            launcher: FakeLauncher { launch in
                Reply(verdict: launch.name == "b" ? .timeout("too slow") : .passed)
            })
        #expect(timingOut.exitCode == .testsFailed)
        let (none, _) = await dispatch(try await Plans.plan([Plans.suite("s", [])]))
        #expect(none.exitCode == .noTestsSelected)
    }
}

/// Tests reserved behind a slot's test (ids written ahead of results).
@Suite struct DispatcherLookaheadTests {
    @Test func reservedTestsRunNextInTheirSlotAndTheWindowGrowsFromOne() async throws {
        let names = (0..<12).map { "t\($0)" }
        let plan = try await Plans.plan([Plans.suite("s", names)])
        let launcher = FakeLauncher(lookahead: Lookahead(lane: 0, depth: 4))
        let dispatcher = Dispatcher(
            plan: plan, policy: DispatchPolicy(), interruption: Interruption(), clock: FakeClock(), launcher: launcher)
        let summary = await dispatcher.run { _ in }
        #expect(summary[.passed] == 12)
        #expect(launcher.launches.map(\.name) == names)
        // The window starts at one test and doubles after each fast one, up to the depth.
        #expect(launcher.upcoming["t0"] == [])
        #expect(launcher.upcoming["t1"] == ["t2"])
        #expect(launcher.upcoming["t2"] == ["t3", "t4", "t5"])
        #expect(launcher.upcoming["t3"] == ["t4", "t5", "t6", "t7"])
        // Each launch's upcoming tests are the next ones launched, in order.
        for (index, name) in names.enumerated() {
            let upcoming = launcher.upcoming[name] ?? []
            #expect(Array(names.dropFirst(index + 1).prefix(upcoming.count)) == upcoming)
        }
    }

    @Test func noSlotReservesMoreThanAFairShareOfWhatIsLeft() async throws {
        let names = (0..<40).map { String(format: "t%02d", $0) }
        let plan = try await Plans.plan([Plans.suite("s", names)])
        let launcher = FakeLauncher(lookahead: Lookahead(lane: 0, depth: 64))
        let dispatcher = Dispatcher(
            plan: plan, policy: DispatchPolicy(slots: 2), interruption: Interruption(), clock: FakeClock(), launcher: launcher)
        let summary = await dispatcher.run { _ in }
        #expect(summary[.passed] == 40)
        #expect(launcher.slotClashes == 0)
        for (index, launch) in launcher.launches.enumerated() {
            let left = 40 - index - 1
            #expect((launcher.upcoming[launch.name] ?? []).count <= max(0, left) / 2 + 1, "\(launch.name)")
        }
        #expect(Set(launcher.launches.suffix(4).map(\.slot)) == [0, 1], "both slots work to the end")
    }

    @Test func maxFailLeavesReservedTestsNotRun() async throws {
        let names = (0..<10).map { "t\($0)" }
        let plan = try await Plans.plan([Plans.suite("s", names)])
        let launcher = FakeLauncher(lookahead: Lookahead(lane: 0, depth: 8)) { launch in
            FakeLauncher.Reply(verdict: launch.name == "t3" ? .failed("no") : .passed)
        }
        let log = EventLog()
        let dispatcher = Dispatcher(
            plan: plan, policy: DispatchPolicy(maxFail: 1, exitFirst: true), interruption: Interruption(), clock: FakeClock(),
            launcher: launcher)
        let summary = await dispatcher.run { log.append($0) }
        #expect(launcher.launches.map(\.name) == ["t0", "t1", "t2", "t3"])
        #expect(!(launcher.upcoming["t3"] ?? []).isEmpty, "tests were reserved behind the failing one")
        #expect(summary[.skipped] == 6 && summary[.failed] == 1)
        #expect(log.finished.count == 10)
    }
}
