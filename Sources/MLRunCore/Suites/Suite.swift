import Foundation

/// A suite: a named set of tests that one plugin discovered and knows how to run.
///
/// ## Contract
/// - mlrun creates suites through `SuitePlugin.makeSuites` while loading the config, before
///   anything runs; creating a suite must not start processes or read large files.
/// - `collect()` is called once per run, before planning, on a task of its own; suites may
///   be collected concurrently with each other. It returns the tests, or throws a
///   `SuiteError`, which becomes an `error` outcome for the suite (exit 1), never a crash.
/// - `run(_:context:)` is called for selected tests only, after `collect()` returned; one
///   test at a time per suite, except that a `.perWorker` suite is called concurrently
///   under `-n`, at most once per `context.worker`.
///   It returns the test's verdict. A thrown error counts as a failure of the test, with
///   the error's description as the message. Values and output go through `context`.
/// - Cancellation of the calling task means the run was interrupted or the test is over its
///   time limit: stop as soon as possible and return (any verdict; the runner decides).
/// - When `enforcesTimeouts` is true the suite holds each test to `context.timeout` itself
///   (e.g. by killing a process) and returns `.timeout(…)`; otherwise the runner stops
///   waiting for the test at the limit, cancels its task and records `timeout`.
/// - `finish()` is called once after the last `run` (also after an interrupt), to release
///   processes and files. It must return promptly.
public protocol Suite: AnyObject, Sendable {
    /// The suite's name, unique within a configuration; the first part of its tests' ids.
    var name: String { get }
    /// The config table the suite came from (`command`, `data`, …).
    var plugin: String { get }
    /// Markers added to every test of the suite.
    var markers: [Marker] { get }
    /// Globs (relative to the config file's folder) of files whose change selects the suite.
    var paths: [String] { get }
    /// Whether `run` enforces `context.timeout` itself. Defaults to false.
    var enforcesTimeouts: Bool { get }
    /// How the suite's tests may run under `-n`. Defaults to `.inProcess`.
    var concurrency: SuiteConcurrency { get }
    /// Marker names the suite's own framework declares (pytest's registered markers), read
    /// after `collect()`: `--strict-markers` accepts them on this suite's tests. Defaults to none.
    var declaredMarkers: [String] { get }
    /// A `-m` expression of the suite's own framework (a pytest project's `-m` in its addopts
    /// or in the table's `args`), read after `collect()`: applied to the suite's tests when the
    /// command line has no `-m`, as pytest applies it when its command line has none. Defaults
    /// to none.
    var defaultSelection: String? { get }

    /// Discovers the suite's tests.
    func collect() async throws(SuiteError) -> [TestCase]
    /// Runs one test.
    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict
    /// Releases whatever the suite holds. Defaults to doing nothing.
    func finish() async
}

extension Suite {
    public var enforcesTimeouts: Bool { false }
    public var concurrency: SuiteConcurrency { .inProcess }
    public var declaredMarkers: [String] { [] }
    public var defaultSelection: String? { nil }
    public func finish() async {}
}

/// How a suite's tests may be spread over `-n` workers.
public enum SuiteConcurrency: Sendable {
    /// The tests run inside an mlrun process. Under `-n` each worker is an mlrun process of
    /// its own (re-executed, speaking the suite protocol), which collects the suite itself
    /// and runs the tests it is sent: so crashes and hangs are contained, and `run` is never
    /// called concurrently on one suite object. The default.
    case inProcess
    /// The suite isolates workers itself (e.g. one external process per `context.worker`),
    /// so under `-n` the parent calls `run` concurrently, once per worker at a time.
    case perWorker
}

/// A suite that could not collect its tests, with a message saying why.
public struct SuiteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the config gives every plugin besides its own tables.
public struct PluginEnvironment: Sendable {
    /// The config file.
    public var configFile: URL
    /// The config file's folder; relative paths in the config are relative to it.
    public var configDirectory: URL
    /// The run's seed.
    public var runSeed: UInt64
    /// `mlrun --update-baselines`: plugins that compare with stored reference values (the
    /// `quality` plugin's baselines) rewrite them from this run's values. Never set on an
    /// ordinary run.
    public var updateBaselines: Bool
    /// The variables the first worker's test processes get (`MLRUN_WORKER`, `MLRUN_WORKERS`,
    /// thread caps, GPUs): a suite whose discovery process can go on to run that worker's
    /// tests discovers with them.
    public var firstWorkerEnvironment: [String: String]

    public init(
        configFile: URL, runSeed: UInt64, updateBaselines: Bool = false,
        firstWorkerEnvironment: [String: String] = ["MLRUN_WORKER": "0", "MLRUN_WORKERS": "1"]
    ) {
        self.configFile = configFile
        self.configDirectory = configFile.deletingLastPathComponent()
        self.runSeed = runSeed
        self.updateBaselines = updateBaselines
        self.firstWorkerEnvironment = firstWorkerEnvironment
    }
}

/// A suite plugin: turns its `runner.toml` tables (`[[name]]`) into suites.
///
/// Built-in plugins (`command`, and later `data`, `quality`, …) and third-party ones are
/// registered the same way: pass them to `MLRun.main(plugins:)`.
///
/// ## Contract
/// - `tableName` is the config array-of-tables the plugin owns (`[[command]]` → `command`);
///   two plugins may not claim the same table name.
/// - `makeSuites` is called once per run, on the main task, with every table of that name
///   in file order (possibly none: then it is not called). It validates the tables —
///   unknown keys, wrong types, missing files — and throws a `ConfigError` naming the
///   file, line and column (use `ConfigTable`'s typed accessors, which do). Keys every suite
///   has (`name`, `markers`, `paths`) are read with `ConfigTable.suiteDeclaration()`.
public protocol SuitePlugin: Sendable {
    /// The config table name this plugin owns.
    var tableName: String { get }
    /// One line for `mlrun --help` and the README.
    var summary: String { get }
    /// Builds one suite per table.
    func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite]
}
