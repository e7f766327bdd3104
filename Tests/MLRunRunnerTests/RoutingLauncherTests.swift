import MLRunCore
import MLRunRunner
import MLRunTestSupport
import Testing

/// Which executor each test goes to.
@Suite struct RoutingLauncherTests {
    typealias Reply = FakeLauncher.Reply

    /// A suite that isolates workers itself, like `[[command]]`.
    final class PerWorkerSuite: Suite {
        let name = "cmd"
        let plugin = "test"
        let markers: [Marker] = []
        let paths: [String] = []
        var concurrency: SuiteConcurrency { .perWorker }
        func collect() async throws(SuiteError) -> [TestCase] { ["ok", "segv", "hang"].map { TestCase(name: $0) } }
        func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict { .passed }
    }

    let inProcess = FakeLauncher { launch in
        switch launch.name {
        case "segv": Reply(verdict: .crashed("SIGSEGV"))
        case "hang": Reply(verdict: .timeout("exceeded its time limit of 1 s"))
        default: Reply(verdict: .passed)
        }
    }
    let workers = FakeLauncher { _ in Reply(verdict: .crashed("worker 1 exited with status 3"), processLost: true) }

    func launchAll(_ plan: Plan, workers: FakeLauncher?) async -> [String: SlotOutcome] {
        let router = RoutingLauncher(suites: plan.suites, inProcess: inProcess, workers: workers)
        var outcomes: [String: SlotOutcome] = [:]
        for test in plan.selected { outcomes[test.id.description] = await router.launch(test, attempt: 1, slot: 1) }
        return outcomes
    }

    @Test func withoutWorkersEverythingRunsInProcess() async throws {
        let plan = try await Plans.plan([Plans.suite("swift", ["a"]), PerWorkerSuite()])
        let outcomes = await launchAll(plan, workers: nil)
        #expect(inProcess.launches.count == 4 && workers.launches.isEmpty)
        #expect(outcomes.values.allSatisfy { !$0.processLost }, "no process to lose in-process")
    }

    @Test func underWorkersInProcessSuitesGoToTheirSlotsWorker() async throws {
        let plan = try await Plans.plan([Plans.suite("swift", ["a"]), PerWorkerSuite()])
        let outcomes = await launchAll(plan, workers: workers)
        #expect(workers.launches.map(\.description) == ["a#1@1"])
        #expect(inProcess.launches.map(\.name) == ["ok", "segv", "hang"])
        #expect(outcomes["swift::a"]?.processLost == true)
        #expect(outcomes["cmd::ok"]?.processLost == false)
        #expect(outcomes["cmd::segv"]?.processLost == true, "a per-worker suite replaces its process after a crash")
        #expect(outcomes["cmd::hang"]?.processLost == true, "and after a timeout")
    }
}
