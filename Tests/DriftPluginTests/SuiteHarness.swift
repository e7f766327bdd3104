import Foundation
import MLRunCore
@testable import DriftPlugin

/// Runs the `[[drift]]` suites of a config in-process, the way the runner does: make the
/// suites, collect each, run every test with a fresh context, and keep what it reported.
struct SuiteHarness {
    struct Reported: Sendable {
        var outcome: Outcome
        var message: String
        var values: [String: JSONValue]

        func number(_ key: String) -> Double? { values[key]?.numberValue }
    }

    /// Every test's result by id, or the suites' collection errors by suite name.
    struct Run: Sendable {
        var tests: [String: Reported] = [:]
        var collectErrors: [String: String] = [:]
        var ids: [String] = []
    }

    static func suites(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) throws -> [any Suite] {
        let config = try RunnerConfig.load(configFile, pluginTables: ["drift"])
        return try DriftPlugin().makeSuites(from: config.suiteTables["drift"] ?? [],
                                              environment: PluginEnvironment(configFile: configFile, runSeed: seed, updateBaselines: updateBaselines))
    }

    static func run(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) async throws -> Run {
        var run = Run()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-drift-scratch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for suite in try suites(configFile, updateBaselines: updateBaselines, seed: seed) {
            let tests: [TestCase]
            do {
                tests = try await suite.collect()
            } catch {
                run.collectErrors[suite.name] = error.message
                continue
            }
            for test in tests {
                let id = TestID(suite: suite.name, name: test.name)
                let context = TestContext(id: id, seed: Seeds.testSeed(runSeed: seed, id: id), runSeed: seed, worker: 0, timeout: nil,
                                          configDirectory: configFile.deletingLastPathComponent(), scratchRoot: scratch)
                let verdict = try await suite.run(test, context: context)
                let sealed = context.seal()
                run.ids.append(id.description)
                run.tests[id.description] = Reported(outcome: verdict.outcome, message: verdict.message,
                                                     values: Dictionary(sealed.values, uniquingKeysWith: { _, last in last }))
            }
            await suite.finish()
        }
        return run
    }

    /// A fresh folder with `files` (name → contents) written into it.
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }
}
