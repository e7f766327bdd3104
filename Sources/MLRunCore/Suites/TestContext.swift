import Foundation
import Synchronization

/// What a test gets while it runs: its seed, a temporary folder, and places to record what
/// it measured and the output it produced.
///
/// The runner makes one context per test run and reads it back when `Suite.run` returns.
/// Its methods may be called from any task; recording after `run` has returned is ignored.
public final class TestContext: Sendable {
    /// The test's id.
    public let id: TestID
    /// The test's own seed, derived from the run seed and the id (see `Seeds`).
    public let seed: UInt64
    /// The run's seed, as given by `--seed` or drawn at random.
    public let runSeed: UInt64
    /// The index of the worker running the test (0 when running in-process).
    public let worker: Int
    /// The time limit in seconds the runner will hold the test to, if any.
    public let timeout: Double?
    /// The folder of the config file; relative paths in the config are relative to it.
    public let configDirectory: URL
    /// Variables a process started for this test's worker must get: `MLRUN_WORKER`,
    /// `MLRUN_WORKERS`, thread caps, `CUDA_VISIBLE_DEVICES`.
    public let workerEnvironment: [String: String]
    /// Under `-s`: where output should also go as it is produced (already prefixed).
    public let outputEcho: (@Sendable (String) -> Void)?
    /// For a `LookaheadSuite`: the suite's tests that will run next on this worker, in order
    /// (see its contract); empty otherwise.
    public let upcoming: [TestCase]

    private let state = Mutex(State())
    private let scratchRoot: URL

    private struct State {
        var values: [(String, JSONValue)] = []
        var stdout = BoundedText(limit: TestContext.outputLimit)
        var stderr = BoundedText(limit: TestContext.outputLimit)
        var temporaryDirectory: URL?
        var sealed = false
    }

    /// The most output kept per stream and test (1 MiB); the rest is dropped with a note.
    package static let outputLimit = 1 << 20

    package init(
        id: TestID, seed: UInt64, runSeed: UInt64, worker: Int, timeout: Double?, configDirectory: URL, scratchRoot: URL,
        workerEnvironment: [String: String] = [:], outputEcho: (@Sendable (String) -> Void)? = nil,
        upcoming: [TestCase] = []
    ) {
        self.id = id
        self.upcoming = upcoming
        self.workerEnvironment = workerEnvironment
        self.outputEcho = outputEcho
        self.seed = seed
        self.runSeed = runSeed
        self.worker = worker
        self.timeout = timeout
        self.configDirectory = configDirectory
        self.scratchRoot = scratchRoot
    }

    /// A folder of the test's own, made on first use and removed after the run.
    public func temporaryDirectory() throws -> URL {
        try state.withLock { state in
            if let url = state.temporaryDirectory { return url }
            let safe = id.description.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
            let url = scratchRoot.appendingPathComponent(String(safe) + "-" + String(seed, radix: 16), isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            state.temporaryDirectory = url
            return url
        }
    }

    /// Records a measured value under `key` in the report's `values` (e.g. `value`,
    /// `threshold`, `p_value`); a key recorded twice keeps the last value.
    public func record(_ key: String, _ value: JSONValue) {
        state.withLock { state in
            guard !state.sealed else { return }
            if let index = state.values.firstIndex(where: { $0.0 == key }) {
                state.values[index].1 = value
            } else {
                state.values.append((key, value))
            }
        }
    }

    /// Adds text to the test's captured standard output; `droppedBytes` counts output the
    /// caller already left out (it is added to the truncation note).
    public func attach(stdout text: String, droppedBytes: Int = 0) {
        state.withLock { if !$0.sealed { $0.stdout.append(text, droppedBefore: droppedBytes) } }
    }

    /// Adds text to the test's captured standard error; `droppedBytes` as for `attach(stdout:)`.
    public func attach(stderr text: String, droppedBytes: Int = 0) {
        state.withLock { if !$0.sealed { $0.stderr.append(text, droppedBefore: droppedBytes) } }
    }

    /// Stops recording and hands back what was recorded. Called by the runner.
    package func seal() -> (values: [(String, JSONValue)], stdout: String, stderr: String, temporaryDirectory: URL?) {
        state.withLock { state in
            state.sealed = true
            return (state.values, state.stdout.text, state.stderr.text, state.temporaryDirectory)
        }
    }
}

/// Text kept up to a byte limit; what goes over is counted and noted, not kept.
package struct BoundedText: Sendable {
    package let limit: Int
    private var kept = ""
    private var keptBytes = 0
    private var droppedBytes = 0

    package init(limit: Int) {
        self.limit = limit
    }

    package var isEmpty: Bool { keptBytes == 0 && droppedBytes == 0 }

    /// Appends `text`, keeping what fits; `droppedBefore` counts bytes a producer already
    /// dropped, for the note.
    package mutating func append(_ text: String, droppedBefore: Int = 0) {
        droppedBytes += droppedBefore
        let bytes = text.utf8.count
        if keptBytes + bytes <= limit {
            kept += text
            keptBytes += bytes
            return
        }
        let room = limit - keptBytes
        if room > 0 {
            // Cut on a character boundary at or below the room left.
            // Cut on a scalar boundary at or below the room left (UTF-8 continuation bytes are 10xxxxxx).
            let utf8 = Array(text.utf8)
            var cut = room
            while cut > 0, utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
            let head = String(decoding: utf8[..<cut], as: UTF8.self)
            kept += head
            keptBytes += head.utf8.count
            droppedBytes += bytes - head.utf8.count
        } else {
            droppedBytes += bytes
        }
    }

    /// The text kept, without any note.
    package var keptText: String { kept }

    /// How many bytes were dropped.
    package var dropped: Int { droppedBytes }

    /// The kept text, followed by a note of how much was dropped, if anything was.
    package var text: String {
        droppedBytes == 0 ? kept : kept + "\n[mlrun: output truncated: \(droppedBytes) more bytes over the \(limit)-byte limit were dropped]\n"
    }
}
