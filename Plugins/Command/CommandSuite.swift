import Foundation
import MLRunCore
import Synchronization

/// A suite run by an external program through the suite protocol v1.
///
/// Tests are sent to one long-lived `run` process, one id at a time, and the next id goes
/// only after the previous result came back; so when the process dies, hangs or prints
/// something malformed, exactly the test it was given is blamed, and the rest go to a
/// fresh process.
final class CommandSuite: Suite {
    let name: String
    let markers: [Marker]
    let paths: [String]
    var plugin: String { "command" }
    var enforcesTimeouts: Bool { true }

    let argv: [String]
    let directory: URL
    let configDirectory: URL
    let environment: [String: String]
    let runSeed: UInt64
    let timeout: Double?
    let discoverTimeout: Double

    private let current = Mutex<PluginProcess?>(nil)
    /// Set while `run` waits for a result; `finish` then kills rather than waits.
    private let busy = Mutex(false)

    init(name: String, markers: [Marker], paths: [String], argv: [String], directory: URL, configDirectory: URL,
         environment: [String: String], runSeed: UInt64, timeout: Double?, discoverTimeout: Double) {
        self.name = name
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
        variables["MLRUN_WORKER"] = "0"
        variables["MLRUN_WORKERS"] = "1"
        return variables
    }

    func collect() async throws(SuiteError) -> [TestCase] {
        let output = try await Discovery.run(argv: argv, directory: directory, environment: protocolEnvironment, limit: discoverTimeout)
        var tests = try Discovery.parse(output, program: argv.joined(separator: " "))
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

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let limit = context.timeout
        busy.withLock { $0 = true }
        defer { busy.withLock { $0 = false } }
        var process = liveProcess()
        // A process that already ended between tests (it exited after its last result) is
        // replaced without blaming anyone.
        if process.events.containsQueued(where: { if case .stdoutClosed = $0 { true } else if case .exited = $0 { true } else { false } }) {
            process.killGroup()
            discard(process)
            process = liveProcess()
        }
        _ = process.takeStderr()
        let sent = await process.send(test.name)
        let deadline = limit.map { ContinuousClock.now.advanced(by: .seconds($0)) }
        let verdict = await awaitResult(of: test.name, from: process, sent: sent, deadline: deadline, limit: limit, context: context)
        await process.settleStderr()
        let stderr = process.takeStderr()
        if !stderr.text.isEmpty || stderr.dropped > 0 { context.attach(stderr: stderr.text, droppedBytes: stderr.dropped) }
        return verdict
    }

    private func awaitResult(of id: String, from process: PluginProcess, sent: Bool, deadline: ContinuousClock.Instant?,
                             limit: Double?, context: TestContext) async -> TestVerdict {
        while true {
            switch await process.events.next(deadline: deadline) {
            case .timedOut:
                process.killGroup()
                discard(process)
                _ = await process.awaitExit(limit: .seconds(5))
                return .timeout("exceeded its time limit of \(format(limit ?? 0)) s; the plugin's process group was killed")
            case .cancelled:
                process.killGroup()
                discard(process)
                return .skipped("interrupted")
            case .element(.launchFailed(let message)):
                discard(process)
                return .error(message)
            case .element(.exited(let status, _)):
                discard(process)
                return crashed(status: status, process: process, sent: sent)
            case .element(.stdoutClosed(let problem)):
                discard(process)
                if let problem {
                    _ = await process.awaitExit(limit: .seconds(5))
                    return .error("protocol error from the plugin: \(problem)")
                }
                let status = await process.awaitExit(limit: .seconds(5))
                return crashed(status: status, process: process, sent: sent)
            case .element(.line(let line)):
                switch ProtocolLine.parse(line, expecting: id) {
                case .start:
                    continue
                case .result(let verdict, let values):
                    for (key, value) in values { context.record(key, value) }
                    return verdict
                case .malformed(let problem):
                    process.killGroup()
                    discard(process)
                    _ = await process.awaitExit(limit: .seconds(5))
                    return .error("protocol error from the plugin: \(problem)")
                }
            }
        }
    }

    private func crashed(status: String, process: PluginProcess, sent: Bool) -> TestVerdict {
        let tail = CommandSuite.tail(of: process.peekStderr(), lines: 15)
        let when = sent ? "while running the test" : "before it could be given the test"
        return .crashed("the plugin process \(status) \(when)" + (tail.isEmpty ? "" : "; last of its stderr:\n\(tail)"))
    }

    static func tail(of text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let last = all.suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return last.count > 4000 ? String(last.suffix(4000)) : last
    }

    private func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    private func liveProcess() -> PluginProcess {
        current.withLock { current in
            if let process = current { return process }
            let process = PluginProcess.launch(argv: argv, directory: directory, environment: protocolEnvironment)
            current = process
            return process
        }
    }

    private func discard(_ process: PluginProcess) {
        current.withLock { current in
            if current === process { current = nil }
        }
    }

    func finish() async {
        let process = current.withLock { current -> PluginProcess? in
            defer { current = nil }
            return current
        }
        // A test still in flight means the run was interrupted: don't wait for it.
        if busy.withLock({ $0 }) {
            process?.killGroup()
        } else {
            await process?.close(grace: .seconds(5))
        }
    }
}

