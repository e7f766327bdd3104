import Foundation
import MLRunCore
import Synchronization

/// One worker's connection to a suite-protocol program: runs test ids in order and turns
/// whatever the program does into exactly one verdict per id.
///
/// The program (`launch` with `run`) is started on first use and reused; it is replaced
/// after it dies, hangs past a limit or breaks the protocol. Used by `[[command]]` suites and
/// by the `-n` scheduler's mlrun worker processes.
///
/// Ids may be written ahead of results (`run(id:limit:upcoming:)`, SPEC §7): the program
/// handles them in order, so while mlrun reads one result the next test already runs. The
/// test that sent `start` without a result is the one a crash, a hang or a malformed line is
/// blamed on; ids written but not started are written again to a fresh process when their
/// turn comes, keeping their own outcomes. A time limit counts from the test's `start` line
/// (or, until it comes, from when the test became the next one due).
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
        /// Seconds from the test's `start` line to its result line, as mlrun read them; nil
        /// when the process was lost.
        package var duration: Double? = nil
    }

    package let launch: ProgramLaunch
    /// What the program is called in messages ("the plugin process", "worker 1").
    package let role: String
    private let echo: (@Sendable (String) -> Void)?
    private let state = Mutex(State())

    /// The current process and what it was given.
    private struct State {
        var process: PluginProcess?
        /// Ids written to `process` whose results were not taken yet, in order: the first is
        /// the test running (or due next), the rest are queued in the program's stdin.
        var written: [String] = []
        /// Results `process` delivered; a death before the next `start` with none is blamed
        /// on that test, with some it happened between tests and costs nobody anything.
        var answered = 0
        /// When the first written id became due: its write, or the previous result's arrival.
        var dueSince = ContinuousClock.now
        /// How much stderr had been read when the last result line arrived: a test whose
        /// process dies is given the stderr from there on (SPEC §7: attached to the crash).
        var resultMark = 0
        /// Whether a `run` is in progress.
        var busy = false
    }

    package init(launch: ProgramLaunch, role: String = "the plugin process", echo: (@Sendable (String) -> Void)? = nil) {
        self.launch = launch
        self.role = role
        self.echo = echo
    }

    /// Sends `id`, waits for its result at most `limit` seconds; never throws, never hangs
    /// past the limit. Cancelling the calling task kills the process and returns `skipped`.
    package func run(id: String, limit: Double?) async -> Result {
        await run(id: id, limit: limit, upcoming: [])
    }

    /// Runs `id` as `run(id:limit:)` does, with `upcoming` — the ids the caller will run next
    /// on this session, in order — written ahead to the program.
    ///
    /// The caller promises that its next call is for `upcoming.first` (or `finish()`); a
    /// call for an id other than the one due kills the process and starts over, so no test
    /// runs twice. Ids are written in batches: when no more than half of the window
    /// (`id` and `upcoming`) is left in the program's stdin.
    package func run(id: String, limit: Double?, upcoming: [String]) async -> Result {
        state.withLock { $0.busy = true }
        defer { state.withLock { $0.busy = false } }
        var process = prepare(due: id)
        var sent = await write(window: [id] + upcoming, to: process, limit: limit)
        while true {
            let result = await awaitResult(of: id, from: process, sent: sent, limit: limit)
            switch result {
            case .restart:
                // The program ended between tests: `id` goes to a fresh process, unblamed.
                process.killGroup()
                discard(process)
                process = prepare(due: id)
                sent = await write(window: [id] + upcoming, to: process, limit: limit)
            case .done(var result):
                // The test's stderr ends where the next test's first line began, if it has.
                if !result.processLost { await process.settleStderr(untilNextLine: true) }
                var mark: Int?
                if !result.processLost, case .line(_, _, let next)? = process.events.firstQueued() { mark = next }
                let stderr =
                    result.processLost
                    ? process.takeStderr(since: state.withLock { $0.resultMark }) : process.takeStderr(upTo: mark)
                result.stderr = stderr.text + result.stderr
                result.droppedStderr = stderr.dropped
                return result
            }
        }
    }

    /// The live process, with `id` due first in it: a process given other ids first (the
    /// caller broke its promise) is killed and replaced.
    private func prepare(due id: String) -> PluginProcess {
        let stale = state.withLock { state -> PluginProcess? in
            guard let first = state.written.first, first != id else { return nil }
            defer { state.process = nil }
            return state.process
        }
        stale?.killGroup()
        return state.withLock { state in
            if let process = state.process { return process }
            let process = PluginProcess.launch(launch, echo: echo)
            state.process = process
            state.written = []
            state.answered = 0
            state.dueSince = .now
            state.resultMark = 0
            return process
        }
    }

    /// Writes the ids of `window` that the program has not been given, once no more than
    /// half the window is queued in it; returns whether the first id reached the program.
    ///
    /// A program that has not started by the end of the first id's time `limit` is not
    /// waited for: the test has timed out.
    private func write(window: [String], to process: PluginProcess, limit: Double?) async -> Bool {
        let (fresh, dueSince) = state.withLock { state -> ([String], ContinuousClock.Instant) in
            let given = state.written.count
            guard given == 0 || (given * 2 <= window.count && given < window.count) else { return ([], state.dueSince) }
            let fresh = Array(window[min(given, window.count)...])
            state.written += fresh
            if given == 0 { state.dueSince = .now }
            return (fresh, state.dueSince)
        }
        guard !fresh.isEmpty else { return true }
        return await process.send(lines: fresh, deadline: limit.map { dueSince.advanced(by: .seconds($0)) })
    }

    /// How waiting for one result ended.
    private enum Waited {
        case done(Result)
        /// The process ended after an earlier result and before this test's start.
        case restart
    }

    private func lost(_ verdict: TestVerdict) -> Waited {
        .done(Result(verdict: verdict, values: [], stdout: "", stderr: "", droppedStderr: 0, processLost: true))
    }

    private func awaitResult(of id: String, from process: PluginProcess, sent: Bool, limit: Double?) async -> Waited {
        var started: ContinuousClock.Instant?
        let (dueSince, answered) = state.withLock { ($0.dueSince, $0.answered) }
        while true {
            let deadline = limit.map { (started ?? dueSince).advanced(by: .seconds($0)) }
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
                if started == nil, answered > 0 { return .restart }
                discard(process)
                return lost(crashed(status: status, process: process, sent: sent))
            case .element(.stdoutClosed(let problem)):
                if problem == nil, started == nil, answered > 0 { return .restart }
                discard(process)
                if let problem {
                    _ = await process.awaitExit(limit: .seconds(5))
                    return lost(.error("protocol error from \(role): \(problem)"))
                }
                let status = await process.awaitExit(limit: .seconds(5))
                return lost(crashed(status: status, process: process, sent: sent))
            case .element(.line(let line, let arrival, let mark)):
                switch ProtocolLine.parse(line, expecting: id) {
                case .start:
                    started = started ?? arrival
                    continue
                case .result(let verdict, let values, let stdout, let stderr):
                    let duration = (arrival - (started ?? dueSince)).seconds
                    state.withLock { state in
                        if !state.written.isEmpty { state.written.removeFirst() }
                        state.answered += 1
                        state.dueSince = arrival
                        state.resultMark = mark
                    }
                    return .done(
                        Result(
                            verdict: verdict, values: values, stdout: stdout ?? "", stderr: stderr ?? "", droppedStderr: 0,
                            processLost: false, duration: max(0, duration)))
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
        let tail = ProtocolSession.tail(of: process.peekStderr(since: state.withLock { $0.resultMark }), lines: 15)
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

    /// Makes `process`, started and past its discovery, this session's process.
    func adopt(_ process: PluginProcess) {
        let previous = state.withLock { state -> PluginProcess? in
            defer {
                state.process = process
                state.written = []
                state.answered = 0
                state.dueSince = .now
                state.resultMark = process.stderrRead
            }
            return state.process
        }
        previous?.killGroup()
    }

    /// Forgets `process` (and the ids it was given) if it is the current one.
    private func discard(_ process: PluginProcess) {
        state.withLock { state in
            guard state.process === process else { return }
            state.process = nil
            state.written = []
        }
    }

    /// Ends the program: closes its stdin and waits a moment, or kills it at once when a
    /// test is still in flight (the run was interrupted) or ids written ahead were never
    /// run (the run stopped early: they must not run after it).
    package func finish() async {
        let (process, kill) = state.withLock { state -> (PluginProcess?, Bool) in
            defer {
                state.process = nil
                state.written = []
            }
            return (state.process, state.busy || !state.written.isEmpty)
        }
        if kill {
            process?.killGroup()
        } else {
            await process?.close(grace: .seconds(5))
        }
    }
}
