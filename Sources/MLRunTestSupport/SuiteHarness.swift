import Foundation
import MLRunCore

/// Runs one plugin's suites of a config in-process, the way the runner does: make the suites,
/// collect each, run every test (in collection order) with a fresh context, and keep what it
/// reported. For a plugin author's tests of outcomes, messages and values without a process.
public enum SuiteHarness {
    /// One test's result.
    public struct Reported: Sendable {
        /// The verdict's outcome.
        public var outcome: Outcome
        /// The verdict's message (empty when the test passed).
        public var message: String
        /// What the test recorded with `context.record`, by key.
        public var values: [String: JSONValue]

        /// A value as a number, if it is one.
        public func number(_ key: String) -> Double? { values[key]?.numberValue }
    }

    /// Every test's result by id, the ids in the order they ran, and the suites' collection
    /// errors by suite name.
    public struct Run: Sendable {
        /// Each test's result, by id (`suite::name`).
        public var tests: [String: Reported] = [:]
        /// Why `collect()` failed, by suite name.
        public var collectErrors: [String: String] = [:]
        /// The ids in the order the tests ran.
        public var ids: [String] = []
    }

    /// The suites `plugin` makes of its tables in `configFile`.
    public static func suites(_ plugin: any SuitePlugin, _ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) throws -> [any Suite] {
        let plugins = try PluginSet([plugin])
        let config = try RunnerConfig.load(configFile, pluginTables: plugins.tableNames)
        return try plugins.makeSuites(
            config: config,
            environment: PluginEnvironment(configFile: configFile, runSeed: seed, updateBaselines: updateBaselines))
    }

    /// Collects and runs every test of `plugin`'s suites in `configFile`.
    public static func run(_ plugin: any SuitePlugin, _ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) async throws -> Run {
        var run = Run()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-harness-scratch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for suite in try suites(plugin, configFile, updateBaselines: updateBaselines, seed: seed) {
            let tests: [TestCase]
            do {
                tests = try await suite.collect()
            } catch {
                run.collectErrors[suite.name] = error.message
                continue
            }
            for test in tests {
                let id = TestID(suite: suite.name, name: test.name)
                let record = await TestRun(
                    id: id, test: test, runSeed: seed, timeout: nil,
                    configDirectory: configFile.deletingLastPathComponent(), scratchRoot: scratch
                ).run(suite)
                run.ids.append(id.description)
                run.tests[id.description] = Reported(
                    outcome: record.verdict.outcome, message: record.verdict.message,
                    values: Dictionary(record.values, uniquingKeysWith: { _, last in last }))
            }
            await suite.finish()
        }
        return run
    }

    /// A fresh folder with `files` (name → contents) written into it.
    public static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }
}
