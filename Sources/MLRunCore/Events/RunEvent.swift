import Foundation

/// The result of one test, as every reporter sees it.
package struct TestResult: Sendable {
    package var id: TestID
    package var plugin: String
    package var markers: [Marker]
    package var outcome: Outcome
    package var message: String
    package var duration: Double
    package var worker: Int
    package var attempts: Int
    package var seed: UInt64?
    package var values: [(String, JSONValue)]
    package var stdout: String
    package var stderr: String
    /// Passed only on a retry (`--reruns`).
    package var flaky: Bool = false
    /// Why a change filter selected it (`--changed`).
    package var selectedBecause: String?

    package init(
        id: TestID, plugin: String, markers: [Marker], outcome: Outcome, message: String = "", duration: Double = 0,
        worker: Int = 0, attempts: Int = 1, seed: UInt64? = nil, values: [(String, JSONValue)] = [], stdout: String = "", stderr: String = ""
    ) {
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
package struct RunHeader: Sendable {
    package var configFile: URL
    package var seed: UInt64
    package var args: [String]
    package var startedAt: Date
    package var collected: Int
    package var selected: Int
    package var deselected: [Deselection]
    package var collectOnly: Bool
    /// The selected tests in run order.
    package var tests: [PlannedTest]
    /// Set when this run is one shard of a larger selection.
    package var shard: ShardInfo?
    /// Workers (`-n`), or nil when running in-process.
    package var workers: Int?
    /// What the planner decided that the user should be told (e.g. `--lf` found nothing).
    package var notes: [PlanNote] = []

    package init(
        configFile: URL, seed: UInt64, args: [String], startedAt: Date, collected: Int, selected: Int,
        deselected: [Deselection], collectOnly: Bool, tests: [PlannedTest], shard: ShardInfo? = nil, workers: Int? = nil,
        notes: [PlanNote] = []
    ) {
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
package struct RunSummary: Sendable {
    package var collected: Int
    package var selected: Int
    package var deselected: Int
    package var counts: [Outcome: Int]
    package var duration: Double
    /// Set when SIGINT or SIGTERM stopped the run; holds the signal's name.
    package var interruptedBy: String?
    package var exitCode: MLRunExitCode
    /// Tests that passed only on a retry.
    package var flaky: [TestID]

    package init(
        collected: Int, selected: Int, deselected: Int, counts: [Outcome: Int], duration: Double, interruptedBy: String?,
        exitCode: MLRunExitCode, flaky: [TestID] = []
    ) {
        self.flaky = flaky
        self.collected = collected
        self.selected = selected
        self.deselected = deselected
        self.counts = counts
        self.duration = duration
        self.interruptedBy = interruptedBy
        self.exitCode = exitCode
    }

    package subscript(outcome: Outcome) -> Int { counts[outcome, default: 0] }
}

/// Run events, in order: `runStarted`, then per test `testStarted` and `testFinished`
/// (tests that never start, such as collection failures or tests stopped by `--maxfail`,
/// get only `testFinished`), then `runFinished`.
package enum RunEvent: Sendable {
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
package protocol Reporter: AnyObject {
    func handle(_ event: RunEvent)
    /// Called after `runFinished`; returns an error message if writing failed.
    func finish() -> String?
}

extension Reporter {
    package func finish() -> String? { nil }
}
