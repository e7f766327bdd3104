import Foundation
import MLRunCore
import MLRunProtocol
import Synchronization

/// A suite run by an external program through the suite protocol v1.
///
/// Tests are sent to one long-lived `run` process per worker. The ids the runner says come
/// next (`LookaheadSuite`) are written ahead, so the program never waits for mlrun between
/// tests; when the process dies, hangs or prints something malformed, exactly the test that
/// sent `start` is blamed, and the ids written after it go to a fresh process with their
/// own outcomes (`ProtocolSession`).
package final class CommandSuite: LookaheadSuite {
    package let name: String
    package let markers: [Marker]
    package let paths: [String]
    /// `command`, or the table of a plugin built on this one (`pytest`).
    package let plugin: String
    package var enforcesTimeouts: Bool { true }
    /// Each worker gets a process of its own, so tests may run on several workers at once.
    package var concurrency: SuiteConcurrency { .perWorker }
    package var declaredMarkers: [String] { declared.withLock { $0 } }
    package var defaultSelection: String? { ownSelection.withLock { $0 } }
    /// Up to 16 ids in the program's stdin behind the running one, when the runner offers them.
    package var lookahead: Int { 16 }

    let argv: [String]
    let directory: URL
    let configDirectory: URL
    let environment: [String: String]
    let runSeed: UInt64
    /// Worker 0's variables: discovery runs with them, so its process can go on to run
    /// worker 0's tests.
    let firstWorkerEnvironment: [String: String]
    let timeout: Double?
    let discoverTimeout: Double

    private let sessions = Mutex<[Int: ProtocolSession]>([:])
    private let declared = Mutex<[String]>([])
    private let ownSelection = Mutex<String?>(nil)
    /// Whether the program discovers with `serve` and keeps running for tests (see
    /// ``ProtocolSession/serve(command:limit:)``): the `[[pytest]]` bridge, so that a serial run
    /// imports and collects the tree once.
    let servesDiscovery: Bool
    /// The session whose process discovered, with its environment, until a worker adopts it.
    private let served = Mutex<(session: ProtocolSession, environment: [String: String])?>(nil)

    package init(
        name: String, plugin: String = "command", markers: [Marker], paths: [String], argv: [String], directory: URL, configDirectory: URL,
        environment: [String: String], runSeed: UInt64,
        firstWorkerEnvironment: [String: String] = ["MLRUN_WORKER": "0", "MLRUN_WORKERS": "1"], timeout: Double?, discoverTimeout: Double,
        servesDiscovery: Bool = false
    ) {
        self.firstWorkerEnvironment = firstWorkerEnvironment
        self.servesDiscovery = servesDiscovery
        self.name = name
        self.plugin = plugin
        self.markers = markers
        self.paths = paths
        self.argv = argv
        self.directory = directory
        self.configDirectory = configDirectory
        self.environment = environment
        self.runSeed = runSeed
        self.timeout = timeout
        self.discoverTimeout = discoverTimeout
    }

    /// The variables every plugin process gets on top of mlrun's environment.
    var protocolEnvironment: [String: String] {
        var variables = environment
        variables["MLRUN_PROTOCOL"] = "1"
        variables["MLRUN_SEED"] = String(runSeed)
        variables["MLRUN_SUITE"] = name
        return variables
    }

    package func collect() async throws(SuiteError) -> [TestCase] {
        let environment = protocolEnvironment.merging(firstWorkerEnvironment) { _, worker in worker }
        let output: Discovery.Output
        if servesDiscovery {
            let session = ProtocolSession(launch: ProgramLaunch(argv: argv, directory: directory, environment: environment))
            switch await session.serve(command: "serve", limit: discoverTimeout) {
            case .success(let lines):
                output = Discovery.Output(lines: lines, stderr: "", status: .exited(0))
                served.withLock { $0 = (session, environment) }
            case .failure(let failure):
                throw SuiteError("discovery (\(argv.joined(separator: " ")) serve) \(failure.message)")
            }
        } else {
            output = try await Discovery.run(argv: argv, directory: directory, environment: environment, limit: discoverTimeout)
        }
        let found = try Discovery.parse(output, program: argv.joined(separator: " "))
        declared.withLock { $0 = found.declaredMarkers }
        ownSelection.withLock { $0 = found.defaultSelection }
        var tests = found.tests
        // Paths a program reports are relative to its own folder; make them relative to the config's.
        let prefix = Discovery.relativePrefix(of: directory, under: configDirectory)
        if !prefix.isEmpty {
            for index in tests.indices {
                tests[index].paths = tests[index].paths.map { $0.hasPrefix("/") ? $0 : prefix + $0 }
            }
        }
        if let timeout {
            for index in tests.indices where tests[index].timeout == nil { tests[index].timeout = timeout }
        }
        return tests
    }

    package func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let result = await session(for: context).run(
            id: test.name, limit: context.timeout, upcoming: context.upcoming.map(\.name))
        for (key, value) in result.values { context.record(key, value) }
        if !result.stdout.isEmpty { context.attach(stdout: result.stdout) }
        if !result.stderr.isEmpty || result.droppedStderr > 0 {
            context.attach(stderr: result.stderr, droppedBytes: result.droppedStderr)
        }
        return result.verdict
    }

    /// The session of the worker running the test: each worker (`-n`) has a process of its
    /// own, started with that worker's environment.
    private func session(for context: TestContext) -> ProtocolSession {
        sessions.withLock { sessions in
            if let session = sessions[context.worker] { return session }
            var environment = protocolEnvironment
            environment.merge(context.workerEnvironment) { _, worker in worker }
            // The process that discovered runs this worker's tests when its environment is this
            // worker's (worker 0's, GPUs aside) and no live output is asked for.
            if context.outputEcho == nil, let served = served.withLock({ $0 }), served.environment == environment {
                self.served.withLock { $0 = nil }
                sessions[context.worker] = served.session
                return served.session
            }
            let session = ProtocolSession(
                launch: ProgramLaunch(argv: argv, directory: directory, environment: environment),
                echo: context.outputEcho
            )
            sessions[context.worker] = session
            return session
        }
    }

    package func finish() async {
        let all = sessions.withLock { sessions -> [ProtocolSession] in
            defer { sessions = [:] }
            return Array(sessions.values)
        }
        let unused = served.withLock { served -> ProtocolSession? in
            defer { served = nil }
            return served?.session
        }
        for session in all + (unused.map { [$0] } ?? []) { await session.finish() }
    }
}
