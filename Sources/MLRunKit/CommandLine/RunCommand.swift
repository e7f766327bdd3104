import ArgumentParser
import MLRunCore
import MLRunRunner

typealias WorkerPoolDistribution = WorkerPool.Distribution

/// `mlrun`'s command line: pytest's spellings wherever pytest has one (SPEC §2).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlrun",
        abstract: "A test runner for machine-learning projects.",
        discussion: """
            Runs the suites declared in runner.toml (found in the current folder or the nearest \
            parent, or given with -c). Select tests by id, -k keyword and -m marker expressions \
            (pytest's grammar). Exit codes: 0 all passed, 1 failures, 2 interrupted, 3 internal \
            error, 4 usage error, 5 no tests selected.

            Other commands: 'mlrun merge-reports A.json B.json … -o OUT.json' merges the reports of a \
            sharded run; 'mlrun snapshot DATA -o REF.json' writes a reference snapshot of a data file \
            for [[drift]] suites; 'mlrun model-helper' prints the Python model-protocol helper. Each has \
            its own --help.
            """,
        version: "0.1.0"
    )

    @Argument(help: ArgumentHelp("Test ids or id prefixes: suite, suite::, suite::name.", valueName: "ids"))
    var ids: [String] = []

    @Option(
        name: [.customShort("c"), .customLong("config")],
        help: ArgumentHelp("The config file (default: runner.toml here or in the nearest parent).", valueName: "file"))
    var config: String?

    @Option(
        name: .customShort("m"),
        help: ArgumentHelp("Only tests whose markers match the expression, e.g. \"not slow and (gpu or device(serial='1'))\".", valueName: "markexpr")
    )
    var markExpression: String?

    @Option(
        name: .customShort("k"),
        help: ArgumentHelp(
            "Only tests whose id contains, or whose markers equal, the words of the expression (case-insensitive).", valueName: "expression"))
    var keywordExpression: String?

    @Flag(name: [.customLong("collect-only"), .customLong("co")], help: "Select and report the plan; run nothing.")
    var collectOnly = false

    @Option(name: .customLong("json"), help: ArgumentHelp("Write the JSON report here (atomically).", valueName: "file"))
    var jsonReport: String?

    @Option(name: [.customLong("junit-xml"), .customLong("junitxml")], help: ArgumentHelp("Write JUnit XML here.", valueName: "file"))
    var junitXML: String?

    @Option(name: .customLong("events"), help: ArgumentHelp("Stream run events as JSON Lines here ('-' for stdout).", valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("The run seed (default: random, printed in the header).", valueName: "n"))
    var seed: UInt64?

    @Option(
        help: ArgumentHelp("Per-test time limit in seconds, for tests without one of their own (overrides [runner] timeout).", valueName: "seconds"))
    var timeout: Double?

    @Flag(name: [.customShort("x"), .customLong("exitfirst")], help: "Stop after the first failure; the rest are skipped.")
    var exitFirst = false

    @Option(help: ArgumentHelp("Stop after N failures; the rest are skipped.", valueName: "n"))
    var maxfail: Int?

    @Option(help: ArgumentHelp("List the N slowest tests (0 for all).", valueName: "n"))
    var durations: Int?

    @Flag(name: .customLong("strict-markers"), help: "Undeclared markers, on tests or in -m, are errors.")
    var strictMarkers = false

    @Flag(help: "List the known markers and exit.")
    var markers = false

    @Flag(name: .shortAndLong, help: "One line per test.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Only failures and the summary.")
    var quiet = false

    @Option(help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), yes or no.", valueName: "when"))
    var color: ColourChoice = .auto

    @Option(
        name: .customShort("n"),
        help: ArgumentHelp("Run tests in N worker processes; 'auto' = the CPUs available (affinity and cgroup quota).", valueName: "n|auto"))
    var workers: String?

    @Option(
        help: ArgumentHelp(
            "With -n: 'load' gives each test to the next free worker (longest first); 'suite' keeps each suite on one worker.",
            valueName: "load|suite"))
    var dist: WorkerPoolDistribution = .load

    @Option(
        name: .customLong("max-worker-restart"),
        help: ArgumentHelp(
            "With -n: how many crashed or killed workers are replaced before the rest of the tests are given up (default 4 × workers).",
            valueName: "n"))
    var maxWorkerRestart: Int?

    @Option(
        name: .customLong("gpus-per-worker"),
        help: ArgumentHelp("With -n: give each worker its own K visible GPUs (CUDA_VISIBLE_DEVICES).", valueName: "k"))
    var gpusPerWorker: Int?

    @Flag(name: .customShort("s"), help: "Also stream the tests' output live, each line prefixed with its worker ([gw0] …).")
    var streamOutput = false

    @Option(help: ArgumentHelp("Retry a failing test up to N more times; passing on a retry counts as passed, reported flaky.", valueName: "n"))
    var reruns: Int = 0

    @Flag(name: [.customLong("lf"), .customLong("last-failed")], help: "Run only the tests that failed last time (all, if none did).")
    var lastFailed = false

    @Flag(name: [.customLong("ff"), .customLong("failed-first")], help: "Run the tests that failed last time first.")
    var failedFirst = false

    @Flag(
        name: .customLong("store-durations"),
        help: "Merge this run's test durations into .mlrun/durations.json (for scheduling and --shard-by duration).")
    var storeDurations = false

    @Option(
        help: ArgumentHelp(
            "Run only shard K of N (1-based); without it, CI variables are used when present (GitLab, Buildkite, CircleCI, Bazel, MLRUN_SHARD).",
            valueName: "k/n"))
    var shard: String?

    @Flag(help: "Select only the tests affected by files changed between HEAD and the working tree (staged, unstaged, untracked).")
    var changed = false

    @Option(
        name: .customLong("changed-since"),
        help: ArgumentHelp(
            "Select only the tests affected by files changed since the merge base of REV and HEAD (and in the working tree).", valueName: "rev"))
    var changedSince: String?

    @Flag(help: "With --collect-only: say for each test why it was selected or not.")
    var explain = false

    @Flag(
        name: .customLong("update-baselines"),
        help:
            "Rewrite the baseline files of the [[quality]] suites that run from this run's values (with date, data hash and commit). Never done otherwise."
    )
    var updateBaselines = false

    @Option(
        name: .customLong("shard-by"),
        help: ArgumentHelp(
            "How tests are split into shards: 'hash' (stable) or 'duration' (balanced by stored durations).", valueName: "hash|duration"))
    var shardBy: ShardStrategy = .hash

    enum ColourChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, yes, no
    }

    func validate() throws {
        if let workers, workers != "auto", (Int(workers) ?? 0) < 1 {
            throw ValidationError("-n takes a number of workers (1 or more) or 'auto', not '\(workers)'")
        }
        if let maxWorkerRestart, maxWorkerRestart < 0 { throw ValidationError("--max-worker-restart must be 0 or more") }
        if let gpusPerWorker, gpusPerWorker < 1 { throw ValidationError("--gpus-per-worker must be at least 1") }
        if reruns < 0 { throw ValidationError("--reruns must be 0 or more") }
        if changed && changedSince != nil { throw ValidationError("--changed and --changed-since cannot be used together") }
        if lastFailed && failedFirst { throw ValidationError("--lf and --ff cannot be used together") }
        if let maxfail, maxfail < 1 { throw ValidationError("--maxfail must be at least 1, not \(maxfail)") }
        if let durations, durations < 0 { throw ValidationError("--durations must be 0 or more, not \(durations)") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if verbose && quiet { throw ValidationError("-v and -q cannot be used together") }
    }
}

extension WorkerPoolDistribution: ExpressibleByArgument {}
extension ShardStrategy: ExpressibleByArgument {}
