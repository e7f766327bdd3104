import Foundation

/// Everything needed to run one test of a suite: who it is and where it runs. The one way a
/// test is run with its context — by the runner in-process, by a worker process, and by the
/// test-support harness and verifier: make a fresh `TestContext`, run, seal the context, and
/// remove the test's temporary folder.
package struct TestRun: Sendable {
    package var id: TestID
    package var test: TestCase
    package var runSeed: UInt64
    package var worker: Int
    /// The limit the test is held to, if any (the context shows it to the test).
    package var timeout: Double?
    package var configDirectory: URL
    /// Where the test's temporary folder is made.
    package var scratchRoot: URL
    package var workerEnvironment: [String: String]
    package var outputEcho: (@Sendable (String) -> Void)?
    /// The tests due next on this worker, for a `LookaheadSuite` (`TestContext.upcoming`).
    package var upcoming: [TestCase]

    package init(
        id: TestID, test: TestCase, runSeed: UInt64, worker: Int = 0, timeout: Double?, configDirectory: URL,
        scratchRoot: URL, workerEnvironment: [String: String] = [:], outputEcho: (@Sendable (String) -> Void)? = nil,
        upcoming: [TestCase] = []
    ) {
        self.upcoming = upcoming
        self.id = id
        self.test = test
        self.runSeed = runSeed
        self.worker = worker
        self.timeout = timeout
        self.configDirectory = configDirectory
        self.scratchRoot = scratchRoot
        self.workerEnvironment = workerEnvironment
        self.outputEcho = outputEcho
    }

    /// The test's own seed (see `Seeds.testSeed`).
    package var seed: UInt64 { Seeds.testSeed(runSeed: runSeed, id: id) }

    /// What one run of a test came to: its verdict and what it recorded.
    package struct Record: Sendable {
        package var verdict: TestVerdict
        package var values: [(String, JSONValue)]
        package var stdout: String
        package var stderr: String
        /// Wall-clock seconds from the context's creation to its sealing.
        package var duration: Double
    }

    /// Runs the test: `execute` gets the fresh context and decides the verdict (by default the
    /// suite's `run`, a thrown error being a failure with the error's description). After it
    /// returns the context is sealed — later recording is ignored — and the test's temporary
    /// folder is removed.
    package func run(
        _ suite: any Suite,
        execute: ((any Suite, TestCase, TestContext) async -> TestVerdict)? = nil
    ) async -> Record {
        let context = TestContext(
            id: id, seed: seed, runSeed: runSeed, worker: worker, timeout: timeout,
            configDirectory: configDirectory, scratchRoot: scratchRoot,
            workerEnvironment: workerEnvironment, outputEcho: outputEcho, upcoming: upcoming)
        let start = ContinuousClock.now
        let verdict: TestVerdict
        if let execute {
            verdict = await execute(suite, test, context)
        } else {
            verdict = await TestRun.plainRun(suite, test, context)
        }
        let duration = ContinuousClock.now - start
        let sealed = context.seal()
        if let folder = sealed.temporaryDirectory { try? FileManager.default.removeItem(at: folder) }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return Record(verdict: verdict, values: sealed.values, stdout: sealed.stdout, stderr: sealed.stderr, duration: seconds)
    }

    /// The suite's `run`; a thrown error is a failure whose message is the error's description.
    package static func plainRun(_ suite: any Suite, _ test: TestCase, _ context: TestContext) async -> TestVerdict {
        do {
            return try await suite.run(test, context: context)
        } catch {
            return .failed(String(describing: error))
        }
    }
}
