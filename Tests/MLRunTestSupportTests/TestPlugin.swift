import MLRunCore
import MLRunTestSupport
import Synchronization

/// A `[[scripted]]` plugin whose suites `make` builds from each table's name: the verifier's
/// tests give it well-behaved and deliberately broken suites.
struct TestPlugin: SuitePlugin {
    var tableName: String { "scripted" }
    var summary: String { "suites for the verifier's own tests" }
    var rejectsUnknownKeys = true
    var make: @Sendable (String) -> any Suite

    init(rejectsUnknownKeys: Bool = true, make: @escaping @Sendable (String) -> any Suite) {
        self.rejectsUnknownKeys = rejectsUnknownKeys
        self.make = make
    }

    /// A plugin of one kind of suite, `scripts` with the claims given.
    init(enforcesTimeouts: Bool = false, concurrency: SuiteConcurrency = .inProcess, _ scripts: [ScriptedSuite.Script]) {
        self.init { name in
            ScriptedSuite(name: name, plugin: "scripted", scripts: scripts, enforcesTimeouts: enforcesTimeouts, concurrency: concurrency)
        }
    }

    func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            if rejectsUnknownKeys { try table.rejectUnknownKeys(allowed: ["name", "markers", "paths"]) }
            suites.append(make(try table.suiteDeclaration().name))
        }
        return suites
    }

    /// Verifies the plugin with one `[[scripted]]` table per name.
    func verify(_ names: [String] = ["s"], limits: PluginVerifier.Limits = PluginVerifier.Limits()) async -> [String] {
        let config = names.map { "[[scripted]]\nname = \"\($0)\"\n" }.joined(separator: "\n")
        return await PluginVerifier.verify(self, config: config, limits: limits)
    }
}

/// Bounds small enough to keep the broken plugins' tests fast; their slow tests run
/// `Pace.slow`, well past these.
let quickLimits = PluginVerifier.Limits(cancelAfter: .milliseconds(20), grace: .milliseconds(500), timeLimit: .milliseconds(20))

/// How long the scripts' tests take.
enum Pace {
    /// Long enough to be cancelled or stopped at a limit.
    static let moderate = Duration.milliseconds(200)
    /// Longer than `quickLimits` let a run go on unnoticed.
    static let slow = Duration.milliseconds(1500)

    /// Sleeps `duration` and cannot be cancelled: awaiting an unstructured task does not
    /// pass cancellation on.
    static func sleepIgnoringCancellation(_ duration: Duration) async {
        await Task { try? await Task.sleep(for: duration) }.value
    }
}

/// A suite whose `finish()` takes `Pace.slow`, far longer than it may.
final class SlowFinishSuite: Suite {
    let name: String
    let plugin = "scripted"
    let markers: [Marker] = []
    let paths: [String] = []

    init(name: String) { self.name = name }

    func collect() async throws(SuiteError) -> [TestCase] { [TestCase(name: "t")] }
    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict { .passed }
    func finish() async { try? await Task.sleep(for: Pace.slow) }
}

/// One session shared by every worker, as a `.perWorker` suite that forgot to keep one per
/// worker would have: a test's answer is whatever the last test put there.
final class SharedSlot: Sendable {
    private let current = Mutex<String?>(nil)
    private let inFlight = Mutex(0)

    /// Puts `name` in the slot, waits `Pace.moderate`, and passes when the slot still holds it.
    func answer(_ name: String) async throws -> TestVerdict {
        current.withLock { $0 = name }
        try await Task.sleep(for: Pace.moderate)
        let found = current.withLock { $0 }
        return found == name ? .passed : .failed("got the answer meant for \(found ?? "nothing")")
    }

    /// Waits until cancelled when another test is in flight by the end of `Pace.moderate`,
    /// as a session that waits for itself would.
    func waitForOthers() async throws -> TestVerdict {
        inFlight.withLock { $0 += 1 }
        defer { inFlight.withLock { $0 -= 1 } }
        try await Task.sleep(for: Pace.moderate)
        if inFlight.withLock({ $0 }) > 1 { try await Task.sleep(for: .seconds(600)) }
        return .passed
    }
}

/// State a cancelled test leaves broken, as a suite whose stop flag outlives the cancelled
/// test would: every later test reports the interruption.
final class StickyStop: Sendable {
    private let stopped = Mutex(false)

    /// Sleeps `Pace.moderate` and passes, unless a test was cancelled before.
    func run() async throws -> TestVerdict {
        if stopped.withLock({ $0 }) { return .error("interrupted") }
        do {
            try await Task.sleep(for: Pace.moderate)
        } catch {
            stopped.withLock { $0 = true }
            throw error
        }
        return .passed
    }
}
