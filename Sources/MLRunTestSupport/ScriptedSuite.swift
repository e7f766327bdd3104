import MLRunCore

/// A suite whose tests are Swift closures: a deterministic stand-in for real plugins in
/// tests of the planner, the runner and reporters, and a quick way to write in-process
/// Swift tests.
public final class ScriptedSuite: Suite {
    /// One test: its case and what running it does.
    public struct Script: Sendable {
        public var test: TestCase
        public var body: @Sendable (TestContext) async throws -> TestVerdict

        public init(_ test: TestCase, body: @escaping @Sendable (TestContext) async throws -> TestVerdict) {
            self.test = test
            self.body = body
        }

        public init(_ name: String, markers: [Marker] = [], timeout: Double? = nil,
                    body: @escaping @Sendable (TestContext) async throws -> TestVerdict = { _ in .passed }) {
            self.init(TestCase(name: name, markers: markers, timeout: timeout), body: body)
        }
    }

    public let name: String
    public let plugin: String
    public let markers: [Marker]
    public let paths: [String]
    private let scripts: [Script]
    private let failure: SuiteError?

    public init(name: String, plugin: String = "scripted", markers: [Marker] = [], paths: [String] = [], scripts: [Script], collectError: String? = nil) {
        self.name = name
        self.plugin = plugin
        self.markers = markers
        self.paths = paths
        self.scripts = scripts
        self.failure = collectError.map(SuiteError.init)
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
