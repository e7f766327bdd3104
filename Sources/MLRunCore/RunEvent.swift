import Foundation

/// The result of one test, as every reporter sees it.
public struct TestResult: Sendable {
    public var id: TestID
    public var plugin: String
    public var markers: [Marker]
    public var outcome: Outcome
    public var message: String
    public var duration: Double
    public var worker: Int
    public var attempts: Int
    public var seed: UInt64?
    public var values: [(String, JSONValue)]
    public var stdout: String
    public var stderr: String
    /// Passed only on a retry (`--reruns`).
    public var flaky: Bool = false
    /// Why a change filter selected it (`--changed`).
    public var selectedBecause: String?

    public init(id: TestID, plugin: String, markers: [Marker], outcome: Outcome, message: String = "", duration: Double = 0,
                worker: Int = 0, attempts: Int = 1, seed: UInt64? = nil, values: [(String, JSONValue)] = [], stdout: String = "", stderr: String = "") {
        self.id = id
        self.plugin = plugin
        self.markers = markers
        self.outcome = outcome
        self.message = message
        self.duration = duration
        self.worker = worker
        self.attempts = attempts
        self.seed = seed
        self.values = values
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// What a reporter is told when the run starts.
public struct RunHeader: Sendable {
    public var configFile: URL
    public var seed: UInt64
    public var args: [String]
    public var startedAt: Date
    public var collected: Int
    public var selected: Int
    public var deselected: [Deselection]
    public var collectOnly: Bool
    /// The selected tests in run order.
    public var tests: [PlannedTest]
    /// Set when this run is one shard of a larger selection.
    public var shard: ShardInfo?
    /// Workers (`-n`), or nil when running in-process.
    public var workers: Int?
    /// What the planner decided that the user should be told (e.g. `--lf` found nothing).
    public var notes: [PlanNote] = []

    public init(configFile: URL, seed: UInt64, args: [String], startedAt: Date, collected: Int, selected: Int,
                deselected: [Deselection], collectOnly: Bool, tests: [PlannedTest], shard: ShardInfo? = nil, workers: Int? = nil,
                notes: [PlanNote] = []) {
        self.shard = shard
        self.workers = workers
        self.notes = notes
        self.configFile = configFile
        self.seed = seed
        self.args = args
        self.startedAt = startedAt
        self.collected = collected
        self.selected = selected
        self.deselected = deselected
        self.collectOnly = collectOnly
        self.tests = tests
    }
}

/// The counts at the end of a run.
public struct RunSummary: Sendable {
    public var collected: Int
    public var selected: Int
    public var deselected: Int
    public var counts: [Outcome: Int]
    public var duration: Double
    /// Set when SIGINT or SIGTERM stopped the run; holds the signal's name.
    public var interruptedBy: String?
    public var exitCode: MLRunExitCode
    /// Tests that passed only on a retry.
    public var flaky: [TestID]

    public init(collected: Int, selected: Int, deselected: Int, counts: [Outcome: Int], duration: Double, interruptedBy: String?,
                exitCode: MLRunExitCode, flaky: [TestID] = []) {
        self.flaky = flaky
        self.collected = collected
        self.selected = selected
        self.deselected = deselected
        self.counts = counts
        self.duration = duration
        self.interruptedBy = interruptedBy
        self.exitCode = exitCode
    }

    public subscript(outcome: Outcome) -> Int { counts[outcome, default: 0] }
}

/// Run events, in order: `runStarted`, then per test `testStarted` and `testFinished`
/// (tests that never start, such as collection failures or tests stopped by `--maxfail`,
/// get only `testFinished`), then `runFinished`.
public enum RunEvent: Sendable {
    case runStarted(RunHeader)
    case testStarted(PlannedTest)
    case testFinished(TestResult)
    case runFinished(RunSummary)
}

/// A consumer of run events: the console, a JSON report, JUnit XML, an event stream.
///
/// ## Contract
/// The runner calls `handle` for every event, in order, from one task at a time; a
/// reporter needs no locking of its own. `handle` must not block for long (a live stream
/// flushes; a file report writes at `runFinished`). A reporter that fails to write keeps
/// the error and returns it from `finish()`, which is called once after `runFinished`.
public protocol Reporter: AnyObject {
    func handle(_ event: RunEvent)
    /// Called after `runFinished`; returns an error message if writing failed.
    func finish() -> String?
}

extension Reporter {
    public func finish() -> String? { nil }
}
