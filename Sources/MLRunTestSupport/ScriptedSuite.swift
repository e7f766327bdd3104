import MLRunCore

/// A suite whose tests are Swift closures: a deterministic stand-in for real plugins in
/// tests of the planner, the runner and reporters, and a quick way to write in-process
/// Swift tests.
public final class ScriptedSuite: Suite {
    /// One test: its case and what running it does.
    public struct Script: Sendable {
        /// The test as `collect()` returns it.
        public var test: TestCase
        /// What `run` does for the test; a thrown error is a failure, as for any suite.
        public var body: @Sendable (TestContext) async throws -> TestVerdict

        /// A script for `test`.
        public init(_ test: TestCase, body: @escaping @Sendable (TestContext) async throws -> TestVerdict) {
            self.test = test
            self.body = body
        }

        /// A script for a test named `name`, by default one that passes.
        public init(
            _ name: String, markers: [Marker] = [], timeout: Double? = nil,
            body: @escaping @Sendable (TestContext) async throws -> TestVerdict = { _ in .passed }
        ) {
            self.init(TestCase(name: name, markers: markers, timeout: timeout), body: body)
        }
    }

    public let name: String
    public let plugin: String
    public let markers: [Marker]
    public let paths: [String]
    /// As given to `init`: whether the scripts hold their tests to `context.timeout` themselves.
    public let enforcesTimeouts: Bool
    /// As given to `init`: `.perWorker` when the scripts may run concurrently, once per worker.
    public let concurrency: SuiteConcurrency
    /// As given to `init`: the suite's own `-m`, applied when the command line has none.
    public let defaultSelection: String?
    private let scripts: [Script]
    private let failure: SuiteError?

    /// A suite of `scripts`, collected in their order; `collectError` makes `collect()` throw
    /// it instead. `enforcesTimeouts` and `concurrency` are what the suite claims: keeping the
    /// claim is up to the scripts.
    public init(
        name: String, plugin: String = "scripted", markers: [Marker] = [], paths: [String] = [], scripts: [Script],
        collectError: String? = nil, enforcesTimeouts: Bool = false, concurrency: SuiteConcurrency = .inProcess,
        defaultSelection: String? = nil
    ) {
        self.name = name
        self.plugin = plugin
        self.markers = markers
        self.paths = paths
        self.scripts = scripts
        self.failure = collectError.map(SuiteError.init)
        self.enforcesTimeouts = enforcesTimeouts
        self.concurrency = concurrency
        self.defaultSelection = defaultSelection
    }

    public func collect() async throws(SuiteError) -> [TestCase] {
        if let failure { throw failure }
        return scripts.map(\.test)
    }

    public func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        guard let script = scripts.first(where: { $0.test.name == test.name }) else {
            return .error("unknown test \(test.name)")
        }
        return try await script.body(context)
    }
}
