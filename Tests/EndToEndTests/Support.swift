// Helpers for end-to-end tests: find the built `mlrun`, run it (or any program) as a child
// process, and make scratch folders.

import Foundation
import Subprocess
import Synchronization
import SystemPackage
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished child process left behind.
struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit status; for a process killed by a signal, 128 + the signal number (as a shell
    /// reports it).
    var exitCode: Int32
    /// Everything the process wrote to standard output, decoded as UTF-8.
    var stdout: String
    /// Everything the process wrote to standard error, decoded as UTF-8.
    var stderr: String
    /// Whether the process outlived its time limit and was killed.
    var timedOut: Bool

    var description: String {
        "exit \(exitCode)\(timedOut ? " (timed out)" : "")\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)"
    }
}

/// Why a helper could not do its job (as opposed to the program under test misbehaving).
struct SupportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The root of this package's checkout (the folder holding `Package.swift`).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // EndToEndTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The `mlrun` executable to test.
///
/// `MLRUN_BINARY`, when set, names it. Otherwise it is the `mlrun` that `swift build` /
/// `swift test` put in the build products folder beside this test bundle: the folder of
/// `Bundle.main.bundleURL` and of `CommandLine.arguments[0]`, and each one's parent, are
/// searched (on Linux the test runner is an executable in the products folder; on macOS
/// it is a `.xctest` bundle inside it).
func mlrunBinary() throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["MLRUN_BINARY"], !explicit.isEmpty {
        let url = URL(fileURLWithPath: explicit)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw SupportError("MLRUN_BINARY=\(explicit) is not an executable file")
        }
        return url
    }
    var folders: [URL] = []
    let bundle = Bundle.main.bundleURL.standardizedFileURL
    folders += [bundle, bundle.deletingLastPathComponent()]
    if let first = CommandLine.arguments.first, !first.isEmpty {
        let runner = URL(fileURLWithPath: first).standardizedFileURL
        folders += [runner.deletingLastPathComponent(), runner.deletingLastPathComponent().deletingLastPathComponent()]
    }
    for folder in folders {
        let candidate = folder.appendingPathComponent("mlrun")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isExecutableFile(atPath: candidate.path)
        {
            return candidate
        }
    }
    throw SupportError(
        """
        no built mlrun found beside the test bundle (looked in \(folders.map(\.path).joined(separator: ", "))); \
        run `swift build` first or set MLRUN_BINARY
        """)
}

/// The first executable called `name` on `PATH`, or nil.
func findOnPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

/// Runs the built `mlrun` (see `mlrunBinary()`) with `args` in `cwd`.
///
/// - Parameters:
///   - environment: variables to set on top of this process's environment.
///   - timeout: after this long the process is killed and `timedOut` is set.
func runMLRun(
    args: [String],
    cwd: URL,
    environment: [String: String] = [:],
    timeout: Duration = .seconds(60)
) async throws -> ProcessResult {
    try await runProcess(try mlrunBinary(), args: args, cwd: cwd, environment: environment, timeout: timeout)
}

/// Runs `executable` with `args` in `cwd`, with standard input closed (`/dev/null`), and
/// waits for it without blocking a thread.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on a
/// full pipe. When `timeout` passes, the process gets SIGTERM, and SIGKILL two seconds later.
///
/// Through swift-subprocess, as mlrun runs its own children: it learns of the child's exit
/// from a pidfd. Foundation's `Process` learns of it from SIGCHLD, which a busy test process
/// (many threads, many children) was seen to notice seconds late.
///
/// - Parameters:
///   - environment: variables to set on top of this process's environment.
/// - Throws: `SupportError` or Subprocess's error when the process cannot be started; a
///   program that starts and fails is a `ProcessResult`, not an error.
func runProcess(
    _ executable: URL,
    args: [String],
    cwd: URL,
    environment: [String: String] = [:],
    timeout: Duration = .seconds(60)
) async throws -> ProcessResult {
    let scratch = try makeTemporaryDirectory(prefix: "mlrun-process")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let stdoutPath = scratch.appendingPathComponent("stdout").path
    let stderrPath = scratch.appendingPathComponent("stderr").path
    let create = { (path: String) in
        try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
    }
    let watchdog = Watchdog(timeout: timeout)
    let result = try await Subprocess.run(
        .path(FilePath(executable.path)), arguments: Arguments(args), environment: updating(environment),
        workingDirectory: FilePath(cwd.path), input: .none,
        output: .fileDescriptor(try create(stdoutPath), closeAfterSpawningProcess: true),
        error: .fileDescriptor(try create(stderrPath), closeAfterSpawningProcess: true)
    ) { execution in
        watchdog.start(pid: execution.processIdentifier.value)
    }
    let timedOut = watchdog.stop()
    let stdout = (try? Data(contentsOf: URL(fileURLWithPath: stdoutPath))).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let stderr = (try? Data(contentsOf: URL(fileURLWithPath: stderrPath))).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let exitCode: Int32
    switch result.terminationStatus {
    case .exited(let code): exitCode = code
    case .signaled(let signal): exitCode = 128 + signal
    }
    return ProcessResult(exitCode: exitCode, stdout: stdout, stderr: stderr, timedOut: timedOut)
}

/// This process's environment with `variables` set on top.
private func updating(_ variables: [String: String]) -> Subprocess.Environment {
    var updates: [Subprocess.Environment.Key: String?] = [:]
    for (key, value) in variables { updates[Subprocess.Environment.Key(stringLiteral: key)] = value }
    return .inherit.updating(updates)
}

/// Kills a process that runs past its time limit: SIGTERM, then SIGKILL two seconds later.
/// Never signals a process that has ended, so a reused pid is safe.
private final class Watchdog: @unchecked Sendable {
    private let timeout: Duration
    private let lock = NSLock()
    private var pid: Int32 = 0
    private var task: Task<Void, Never>?
    private var finished = false
    private var fired = false

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// The process `pid` started; the clock runs from now (unless it has already ended).
    func start(pid: Int32) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        self.pid = pid
        task = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard signal(SIGTERM) else { return }
            try? await Task.sleep(for: .seconds(2))
            _ = signal(SIGKILL)
        }
    }

    /// Sends `number` unless the process has ended; true when it was sent.
    private func signal(_ number: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !finished, !Task.isCancelled else { return false }
        fired = true
        kill(pid, number)
        return true
    }

    /// The process ended: no more signals. Returns whether the time limit was hit.
    func stop() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        task?.cancel()
        return fired
    }
}

/// A new, empty folder under the system's temporary folder; the caller removes it.
func makeTemporaryDirectory(prefix: String = "mlrun-e2e") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `folder/name` (creating intermediate folders) and returns the file's URL.
@discardableResult
func writeFile(_ name: String, in folder: URL, _ text: String) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url
}

/// How an interrupted run ended.
struct InterruptedRun {
    /// Exit status, or nil when mlrun did not stop within 30 s of the signal (it is then killed).
    var status: Int32?
    /// When the signal was sent.
    var signalledAt: Date

    /// Seconds from the signal until mlrun last wrote `file` (a report it writes as it ends).
    ///
    /// Measured on the file rather than on when this process saw mlrun exit: `swift test`
    /// runs tests in parallel on a pool of as many threads as cores, and CPU-bound tests can
    /// keep this one from running for many seconds on a small machine.
    func secondsUntilWritten(_ file: URL) throws -> Double {
        let written = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
        return written.timeIntervalSince(signalledAt)
    }
}

/// Starts the built `mlrun` with `args` (which must include `--events eventsFile`), waits
/// until `eventsFile` contains every one of `markers` (e.g. a test's `test_started` line;
/// 30 s at most) and `settle` more, sends SIGINT, and waits for mlrun to exit.
func runAndInterrupt(
    args: [String], cwd: URL, eventsFile: URL, markers: [String], settle: Duration = .zero, environment: [String: String] = [:]
) async throws -> InterruptedRun {
    let signalledAt = Mutex(Date.distantFuture)
    let watchdog = Watchdog(timeout: .seconds(30))
    let result = try await Subprocess.run(
        .path(FilePath(try mlrunBinary().path)), arguments: Arguments(args), environment: updating(environment),
        workingDirectory: FilePath(cwd.path), input: .none, output: .discarded, error: .discarded
    ) { execution in
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOf: eventsFile, encoding: .utf8), markers.allSatisfy(text.contains) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: settle)
        try execution.send(signal: .interrupt)
        signalledAt.withLock { $0 = Date() }
        // Killed (SIGTERM, then SIGKILL) if it has not stopped 30 s after the signal.
        watchdog.start(pid: execution.processIdentifier.value)
    }
    let sent = signalledAt.withLock { $0 }
    if watchdog.stop() { return InterruptedRun(status: nil, signalledAt: sent) }
    switch result.terminationStatus {
    case .exited(let code): return InterruptedRun(status: code, signalledAt: sent)
    case .signaled(let signal): return InterruptedRun(status: 128 + signal, signalledAt: sent)
    }
}
