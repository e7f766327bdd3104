import Foundation
import MLRunCore
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// One running plugin program (`run + ["run"]`): its stdout lines arrive in a mailbox, its
/// stderr is kept (bounded) until the current test takes it, and ids go to its stdin.
///
/// The program runs in a session of its own, so killing its process group takes its
/// children too, and a Ctrl-C on the terminal reaches mlrun, not it.
package final class PluginProcess: Sendable {
    /// What the process's output pumps report.
    package enum Event: Sendable {
        /// A stdout line, when mlrun read it (time limits count from a `start` line's arrival)
        /// and how many stderr bytes had been read by then (where the next test's stderr begins).
        case line(String, at: ContinuousClock.Instant, stderrMark: Int)
        /// Stdout ended; `problem` is set when reading failed (e.g. a line over the limit).
        case stdoutClosed(problem: String?)
        /// The process is gone; `status` says how (`exited with status 3`, `killed by signal 9 (SIGKILL)`).
        case exited(status: String, clean: Bool)
        case launchFailed(String)
    }

    /// The longest stdout line accepted from a plugin (1 MiB).
    package static let maxLineLength = 1 << 20

    let events = Mailbox<Event>()
    /// Gets one element when the process's stdin can be written to (true) or never will (false).
    private let ready = Mailbox<Bool>()
    private let control = Mutex(Control())

    private struct Control {
        var pid: pid_t?
        var writer: StandardInputWriter?
        /// Stderr not yet taken by a test (twice the per-test bound is kept, the rest counted).
        var stderr = StderrBuffer(keepLimit: 2 * TestContext.outputLimit)
        var exited = false
        /// Lets the body closure return once the process's stdout has closed.
        var finished = false
        /// A kill asked for before the process's pid was known: done as soon as it is.
        var killRequested = false
    }

    private init() {}

    /// Starts `launch` with `command` appended to its argv (`run` for a suite program, none
    /// for a model program). With `echo`, stderr is also passed on as it arrives (for `-s`).
    static func launch(_ launch: ProgramLaunch, command: String? = "run", echo: (@Sendable (String) -> Void)? = nil) -> PluginProcess {
        let process = PluginProcess()
        let argv = launch.argv
        Task.detached {
            do {
                let result = try await Subprocess.run(
                    launch.executable,
                    arguments: launch.arguments(command),
                    environment: launch.environmentUpdates,
                    workingDirectory: launch.workingDirectory,
                    platformOptions: launch.platformOptions,
                    input: .inputWriter,
                    output: .sequence,
                    error: .sequence
                ) { execution in
                    let killNow = process.control.withLock { control in
                        control.pid = execution.processIdentifier.value
                        control.writer = execution.standardInputWriter
                        return control.killRequested
                    }
                    process.ready.push(true)
                    if killNow { process.killGroup() }
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            do {
                                for try await buffer in execution.standardError {
                                    if let echo { echo(buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }) }
                                    buffer.withUnsafeBytes { chunk in
                                        process.control.withLock { $0.stderr.append(chunk) }
                                    }
                                }
                            } catch {}
                        }
                        var splitter = LineSplitter(maxLineLength: PluginProcess.maxLineLength)
                        do {
                            for try await buffer in execution.standardOutput {
                                try buffer.withUnsafeBytes { chunk in
                                    try splitter.feed(chunk) { process.pushLine($0) }
                                }
                            }
                            splitter.finish { process.pushLine($0) }
                            process.events.push(.stdoutClosed(problem: nil))
                        } catch {
                            process.events.push(.stdoutClosed(problem: "could not read the plugin's output: \(error)"))
                            process.killGroup()
                        }
                        await group.waitForAll()
                    }
                    process.control.withLock { $0.writer = nil }
                }
                process.control.withLock { $0.exited = true }
                process.ready.push(false)
                process.events.push(PluginProcess.describe(result.terminationStatus))
            } catch {
                process.control.withLock { $0.exited = true }
                process.ready.push(false)
                process.events.push(.launchFailed("cannot start \(argv[0]): \(error)"))
            }
        }
        return process
    }

    package static func describe(_ status: TerminationStatus) -> Event {
        switch status {
        case .exited(let code):
            return .exited(status: "exited with status \(code)", clean: code == 0)
        case .signaled(let signal):
            return .exited(status: "killed by signal \(signal) (\(signalName(signal)))", clean: false)
        }
    }

    package static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGILL: return "SIGILL"
        case SIGPIPE: return "SIGPIPE"
        default: return "signal \(signal)"
        }
    }

    /// Sends one id line; false when the process can no longer take input.
    func send(_ id: String) async -> Bool {
        await send(lines: [id])
    }

    /// Sends id lines in one write; false when the process can no longer take input, or
    /// had not started by `deadline` (a test's time limit; without one, until it starts or
    /// fails to).
    func send(lines: [String], deadline: ContinuousClock.Instant? = nil) async -> Bool {
        // The writer is attached once the process has started: wait for that, not longer
        // than `deadline` (one waiter at a time: sends are not concurrent).
        var writer = control.withLock { $0.writer }
        if writer == nil, !control.withLock({ $0.exited }) {
            if case .element(true) = await ready.next(deadline: deadline) {
                writer = control.withLock { $0.writer }
            }
        }
        guard let writer else { return false }
        do {
            _ = try await writer.write(lines.joined(separator: "\n") + "\n")
            return true
        } catch {
            return false
        }
    }

    private func pushLine(_ line: String) {
        let mark = control.withLock { $0.stderr.total }
        events.push(.line(line, at: .now, stderrMark: mark))
    }

    /// Takes the stderr collected since the last call, up to stream offset `mark` (a
    /// line's `stderrMark`) when given.
    func takeStderr(upTo mark: Int? = nil) -> (text: String, dropped: Int) {
        control.withLock { $0.stderr.take(upTo: mark, limit: TestContext.outputLimit) }
    }

    /// Waits for stderr written before the test's result line to be read too.
    ///
    /// stdout and stderr are separate pipes drained by separate tasks, so the result line
    /// can arrive before the end of what the test wrote to stderr. When the test wrote any
    /// stderr, wait until none has arrived for 2 ms (at most 200 ms); a quiet test costs nothing.
    /// With `untilNextLine`, stop as soon as another stdout line is waiting (the next test,
    /// written ahead, has begun: what arrives from then on is more likely its own).
    func settleStderr(untilNextLine: Bool = false) async {
        var last = control.withLock { $0.stderr.total }
        guard control.withLock({ $0.stderr.pendingCount }) > 0 else { return }
        var quiet = 0
        for _ in 0..<200 where quiet < 2 {
            if untilNextLine, events.containsQueued(where: { if case .line = $0 { true } else { false } }) { return }
            try? await Task.sleep(for: .milliseconds(1))
            let now = control.withLock { $0.stderr.total }
            quiet = now == last ? quiet + 1 : 0
            last = now
        }
    }

    /// Takes the stderr not taken yet, preceded by what was already taken from stream
    /// offset `mark` on (while it is still kept): what a test whose process died is given.
    func takeStderr(since mark: Int) -> (text: String, dropped: Int) {
        control.withLock { $0.stderr.take(since: mark, limit: TestContext.outputLimit) }
    }

    /// The stderr collected since the last `takeStderr`, left in place.
    func peekStderr() -> String {
        control.withLock { $0.stderr.pendingText }
    }

    /// How many bytes of stderr have been read so far (a stream offset).
    var stderrRead: Int { control.withLock { $0.stderr.total } }

    /// The stderr from stream offset `mark` on, taken or not (while it is still kept).
    func peekStderr(since mark: Int) -> String {
        control.withLock { $0.stderr.text(since: mark) }
    }

    /// Kills the process and everything it started (as soon as it has started, when it has
    /// not yet).
    func killGroup() {
        let pid = control.withLock { control -> pid_t? in
            if control.pid == nil, !control.exited { control.killRequested = true }
            return control.exited ? nil : control.pid
        }
        guard let pid else { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    /// Closes stdin so the program can end by itself; kills it if it has not ended in `grace`.
    func close(grace: Duration) async {
        if let writer = control.withLock({ $0.writer }) {
            try? await writer.finish()
        }
        let deadline = ContinuousClock.now.advanced(by: grace)
        while true {
            switch await events.next(deadline: deadline) {
            case .element(.exited), .element(.launchFailed): return
            case .element: continue
            case .timedOut, .cancelled:
                killGroup()
                return
            }
        }
    }

    /// Waits until the process is gone (at most `limit`) and says how it ended.
    func awaitExit(limit: Duration) async -> String {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while true {
            switch await events.next(deadline: deadline) {
            case .element(.exited(let status, _)): return status
            case .element(.launchFailed(let message)): return message
            case .element: continue
            case .timedOut, .cancelled:
                killGroup()
                return "stopped responding after closing its output; killed"
            }
        }
    }
}
