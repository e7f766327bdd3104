import Foundation
import MLRunCore
import Synchronization

/// One worker's connection to a suite-protocol program: runs test ids one at a time and
/// turns whatever the program does into exactly one verdict per id.
///
/// The program (`launch` with `run`) is started on first use and reused; it is replaced
/// after it dies, hangs past a limit or breaks the protocol, so exactly the test it was given
/// is blamed and the next id goes to a fresh process. Used by `[[command]]` suites and by
/// the `-n` scheduler's mlrun worker processes.
package final class ProtocolSession: Sendable {
    /// What running one id came to.
    package struct Result: Sendable {
        package var verdict: TestVerdict
        package var values: [(String, JSONValue)]
        /// Output the program reported in the result line (mlrun workers do).
        package var stdout: String
        /// The program's stderr while the test ran, and bytes dropped over the bound.
        package var stderr: String
        package var droppedStderr: Int
        /// Whether the process was lost (crash, kill, protocol error): a restart follows.
        package var processLost: Bool
    }

    package let launch: ProgramLaunch
    /// What the program is called in messages ("the plugin process", "worker 1").
    package let role: String
    private let echo: (@Sendable (String) -> Void)?
    private let current = Mutex<PluginProcess?>(nil)
    private let busy = Mutex(false)

    package init(launch: ProgramLaunch, role: String = "the plugin process", echo: (@Sendable (String) -> Void)? = nil) {
        self.launch = launch
        self.role = role
        self.echo = echo
    }

    /// Sends `id`, waits for its result at most `limit` seconds; never throws, never hangs
    /// past the limit. Cancelling the calling task kills the process and returns `skipped`.
    package func run(id: String, limit: Double?) async -> Result {
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
        let sent = await process.send(id)
        let deadline = limit.map { ContinuousClock.now.advanced(by: .seconds($0)) }
        var result = await awaitResult(of: id, from: process, sent: sent, deadline: deadline, limit: limit)
        await process.settleStderr()
        let stderr = process.takeStderr()
        result.stderr = stderr.text + result.stderr
        result.droppedStderr = stderr.dropped
        return result
    }

    private func lost(_ verdict: TestVerdict) -> Result {
        Result(verdict: verdict, values: [], stdout: "", stderr: "", droppedStderr: 0, processLost: true)
    }

    private func awaitResult(
        of id: String, from process: PluginProcess, sent: Bool, deadline: ContinuousClock.Instant?,
        limit: Double?
    ) async -> Result {
        while true {
            switch await process.events.next(deadline: deadline) {
            case .timedOut:
                process.killGroup()
                discard(process)
                _ = await process.awaitExit(limit: .seconds(5))
                return lost(.timeout("exceeded its time limit of \(ProtocolSession.format(limit ?? 0)) s; \(role)'s process group was killed"))
            case .cancelled:
                process.killGroup()
                discard(process)
                return lost(.skipped("interrupted"))
            case .element(.launchFailed(let message)):
                discard(process)
                return lost(.error(message))
            case .element(.exited(let status, _)):
                discard(process)
                return lost(crashed(status: status, process: process, sent: sent))
            case .element(.stdoutClosed(let problem)):
                discard(process)
                if let problem {
                    _ = await process.awaitExit(limit: .seconds(5))
                    return lost(.error("protocol error from \(role): \(problem)"))
                }
                let status = await process.awaitExit(limit: .seconds(5))
                return lost(crashed(status: status, process: process, sent: sent))
            case .element(.line(let line)):
                switch ProtocolLine.parse(line, expecting: id) {
                case .start:
                    continue
                case .result(let verdict, let values, let stdout, let stderr):
                    return Result(verdict: verdict, values: values, stdout: stdout ?? "", stderr: stderr ?? "", droppedStderr: 0, processLost: false)
                case .malformed(let problem):
                    process.killGroup()
                    discard(process)
                    _ = await process.awaitExit(limit: .seconds(5))
                    return lost(.error("protocol error from \(role): \(problem)"))
                }
            }
        }
    }

    private func crashed(status: String, process: PluginProcess, sent: Bool) -> TestVerdict {
        let tail = ProtocolSession.tail(of: process.peekStderr(), lines: 15)
        let when = sent ? "while running the test" : "before it could be given the test"
        return .crashed("\(role) \(status) \(when)" + (tail.isEmpty ? "" : "; last of its stderr:\n\(tail)"))
    }

    /// The last `lines` lines of `text` (at most 4,000 characters), for messages.
    package static func tail(of text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let last = all.suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return last.count > 4000 ? String(last.suffix(4000)) : last
    }

    /// Seconds as a person writes them: `2`, `0.25`.
    package static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    private func liveProcess() -> PluginProcess {
        current.withLock { current in
            if let process = current { return process }
            let process = PluginProcess.launch(launch, echo: echo)
            current = process
            return process
        }
    }

    private func discard(_ process: PluginProcess) {
        current.withLock { current in
            if current === process { current = nil }
        }
    }

    /// Ends the program: closes its stdin and waits a moment, or kills it at once when a
    /// test is still in flight (the run was interrupted).
    package func finish() async {
        let process = current.withLock { current -> PluginProcess? in
            defer { current = nil }
            return current
        }
        if busy.withLock({ $0 }) {
            process?.killGroup()
        } else {
            await process?.close(grace: .seconds(5))
        }
    }
}
