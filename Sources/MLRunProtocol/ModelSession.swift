import Foundation
import MLRunCore
import Synchronization

/// One connection to a model program (the model protocol, version 1): sends requests one at a
/// time and turns whatever the program does into exactly one ``Reply`` per request.
///
/// The program is started on the first request and kept running. It is replaced after it
/// dies, hangs past a request's limit or prints a line that is not a reply, so only the
/// request that was running fails (with the program's stderr) and the next one goes to a fresh
/// process. ``restart()`` ends the program on purpose, so that the next request meets a
/// process that holds nothing in memory (a round trip loads what was saved in a fresh one).
package final class ModelSession: Sendable {
    /// How one request ended.
    package enum Reply: Sendable, Equatable {
        /// `{"ok": true}`.
        case ok
        /// `{"ok": false, "error": "…"}`: the model refused the request, saying why.
        case refused(String)
        /// The program died, hung, broke the protocol or could not start; the text says which,
        /// with the tail of its stderr. `beforeFirstReply` is set when the program never
        /// answered anything (it dies at start-up, or is not there).
        case lost(Loss)
    }

    /// A request the program did not answer.
    package struct Loss: Sendable, Equatable {
        package enum Kind: Sendable, Equatable {
            case crashed, timedOut, protocolError, launchFailed, cancelled
        }
        package var kind: Kind
        package var message: String
        /// Whether the process never answered a request.
        package var beforeFirstReply: Bool
    }

    package let launch: ProgramLaunch
    /// What the program is called in messages (`the model program`).
    package let role: String
    private let state = Mutex(State())

    private struct State {
        var process: PluginProcess?
        var answered = false
        /// The program's stderr since the last ``takeStderr()``, across replacements.
        var stderr = BoundedText(limit: TestContext.outputLimit)
    }

    package init(launch: ProgramLaunch, role: String = "the model program") {
        self.launch = launch
        self.role = role
    }

    /// Sends one request line (a JSON object, no newline) and waits at most `limit` seconds
    /// for its reply; never throws, never hangs past the limit. Cancelling the calling task
    /// kills the program.
    package func request(_ line: String, limit: Double?) async -> Reply {
        let (process, answeredBefore) = liveProcess()
        let sent = await process.send(line)
        let deadline = limit.map { ContinuousClock.now.advanced(by: .seconds($0)) }
        let reply = await awaitReply(from: process, sent: sent, deadline: deadline, limit: limit, answeredBefore: answeredBefore)
        await process.settleStderr()
        let stderr = process.takeStderr()
        state.withLock { $0.stderr.append(stderr.text, droppedBefore: stderr.dropped) }
        if case .lost = reply {
            discard(process)
        } else {
            state.withLock { $0.answered = true }
        }
        return reply
    }

    /// Ends the running program, if any: the next request starts a fresh one.
    package func restart() async {
        let process = state.withLock { state -> PluginProcess? in
            defer {
                state.process = nil
                state.answered = false
            }
            return state.process
        }
        if let process {
            await process.close(grace: .seconds(5))
            let stderr = process.takeStderr()
            state.withLock { $0.stderr.append(stderr.text, droppedBefore: stderr.dropped) }
        }
    }

    /// The program's stderr since the last call, and the bytes dropped over the bound.
    package func takeStderr() -> (text: String, dropped: Int) {
        state.withLock { state in
            defer { state.stderr = BoundedText(limit: TestContext.outputLimit) }
            return (state.stderr.keptText, state.stderr.dropped)
        }
    }

    /// Ends the program: closes its stdin and gives it a moment to exit.
    package func finish() async {
        await restart()
    }

    private func awaitReply(
        from process: PluginProcess, sent: Bool, deadline: ContinuousClock.Instant?, limit: Double?, answeredBefore: Bool
    ) async -> Reply {
        func loss(_ kind: Loss.Kind, _ message: String) -> Reply {
            .lost(Loss(kind: kind, message: message, beforeFirstReply: !answeredBefore))
        }
        while true {
            switch await process.events.next(deadline: deadline) {
            case .timedOut:
                process.killGroup()
                _ = await process.awaitExit(limit: .seconds(5))
                return loss(.timedOut, "\(role) did not answer within \(ProtocolSession.format(limit ?? 0)) s; its process group was killed")
            case .cancelled:
                process.killGroup()
                return loss(.cancelled, "interrupted")
            case .element(.launchFailed(let message)):
                return loss(.launchFailed, message)
            case .element(.exited(let status, _)):
                return loss(.crashed, died(status: status, process: process, sent: sent, answeredBefore: answeredBefore))
            case .element(.stdoutClosed(let problem)):
                let status = await process.awaitExit(limit: .seconds(5))
                if let problem { return loss(.protocolError, "protocol error from \(role): \(problem)") }
                return loss(.crashed, died(status: status, process: process, sent: sent, answeredBefore: answeredBefore))
            case .element(.line(let line, _, _)):
                switch ModelReplyLine.parse(line) {
                case .ok: return .ok
                case .refused(let message): return .refused(message)
                case .malformed(let problem):
                    process.killGroup()
                    _ = await process.awaitExit(limit: .seconds(5))
                    return loss(.protocolError, "protocol error from \(role): \(problem)")
                }
            }
        }
    }

    private func died(status: String, process: PluginProcess, sent: Bool, answeredBefore: Bool) -> String {
        let tail = ProtocolSession.tail(of: process.peekStderr(), lines: 15)
        let when = !answeredBefore ? "at start-up, before answering any request" : sent ? "while handling the request" : "between requests"
        return "\(role) \(status) \(when)" + (tail.isEmpty ? "" : "; last of its stderr:\n\(tail)")
    }

    private func liveProcess() -> (PluginProcess, answered: Bool) {
        state.withLock { state in
            if let process = state.process,
                !process.events.containsQueued(where: {
                    if case .exited = $0 { true } else if case .stdoutClosed = $0 { true } else { false }
                })
            {
                return (process, state.answered)
            }
            state.process?.killGroup()
            let process = PluginProcess.launch(launch, command: nil)
            state.process = process
            state.answered = false
            return (process, false)
        }
    }

    private func discard(_ process: PluginProcess) {
        state.withLock { state in
            if state.process === process {
                state.process = nil
                state.answered = false
            }
        }
    }
}

/// One line a model program printed, read as a reply.
enum ModelReplyLine: Equatable {
    case ok
    case refused(String)
    case malformed(String)

    /// `{"ok": true}`, or `{"ok": false, "error": "…"}`; anything else is malformed.
    static func parse(_ line: String) -> ModelReplyLine {
        let shown = line.count > 200 ? String(line.prefix(200)) + "…" : line
        guard case .object(let fields)? = try? JSONValue.parse(line) else {
            return .malformed("expected a JSON object such as {\"ok\": true}; got \(ProtocolLine.quoted(shown))")
        }
        let ok = fields.first { $0.0 == "ok" }?.1
        switch ok {
        case .bool(true)?:
            return .ok
        case .bool(false)?:
            guard case .string(let message)? = fields.first(where: { $0.0 == "error" })?.1 else {
                return .refused("(the model gave no \"error\" text)")
            }
            return .refused(message)
        default:
            return .malformed("a reply needs \"ok\": true or false; got \(ProtocolLine.quoted(shown))")
        }
    }
}
