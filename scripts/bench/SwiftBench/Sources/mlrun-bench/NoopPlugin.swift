import MLRunKit

/// `[[noop]]`: a suite of `count` tests that do nothing and pass, run in mlrun's own
/// process. It measures what mlrun itself costs per test: planning, the runner's per-test
/// task and context, and reporting.
///
/// ```toml
/// [[noop]]
/// name = "bench"
/// count = 10000
/// ```
struct NoopPlugin: SuitePlugin {
    var tableName: String { "noop" }
    var summary: String { "benchmark suites of tests that do nothing and pass (scripts/bench)" }

    func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            try table.rejectUnknownKeys(allowed: ["name", "markers", "paths", "count"])
            let declaration = try table.suiteDeclaration()
            let count = try table.number("count", in: 0...10_000_000) ?? 1000
            guard count == count.rounded() else {
                throw ConfigError("'count' in \(table.displayName) must be a whole number, not \(count)", at: table["count"]!.position)
            }
            suites.append(NoopSuite(name: declaration.name, markers: declaration.markers, paths: declaration.paths, count: Int(count)))
        }
        return suites
    }
}

/// `count` tests named `t0`, `t1`, …, each of which passes at once.
final class NoopSuite: Suite {
    let name: String
    let plugin = "noop"
    let markers: [Marker]
    let paths: [String]
    let count: Int

    init(name: String, markers: [Marker], paths: [String], count: Int) {
        self.name = name
        self.markers = markers
        self.paths = paths
        self.count = count
    }

    func collect() async throws(SuiteError) -> [TestCase] {
        (0..<count).map { TestCase(name: "t\($0)") }
    }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        .passed
    }
}
