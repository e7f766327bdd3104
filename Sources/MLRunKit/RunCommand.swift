import ArgumentParser
import MLRunCore

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
        """,
        version: "0.1.0"
    )

    @Argument(help: ArgumentHelp("Test ids or id prefixes: suite, suite::, suite::name.", valueName: "ids"))
    var ids: [String] = []

    @Option(name: [.customShort("c"), .customLong("config")], help: ArgumentHelp("The config file (default: runner.toml here or in the nearest parent).", valueName: "file"))
    var config: String?

    @Option(name: .customShort("m"), help: ArgumentHelp("Only tests whose markers match the expression, e.g. \"not slow and (gpu or device(serial='1'))\".", valueName: "markexpr"))
    var markExpression: String?

    @Option(name: .customShort("k"), help: ArgumentHelp("Only tests whose id contains, or whose markers equal, the words of the expression (case-insensitive).", valueName: "expression"))
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

    @Option(help: ArgumentHelp("Per-test time limit in seconds, for tests without one of their own (overrides [runner] timeout).", valueName: "seconds"))
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

    enum ColourChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, yes, no
    }

    func validate() throws {
        if let maxfail, maxfail < 1 { throw ValidationError("--maxfail must be at least 1, not \(maxfail)") }
        if let durations, durations < 0 { throw ValidationError("--durations must be 0 or more, not \(durations)") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if verbose && quiet { throw ValidationError("-v and -q cannot be used together") }
    }
}
