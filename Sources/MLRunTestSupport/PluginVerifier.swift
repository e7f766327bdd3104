import Foundation
import MLRunCore

/// A conformance checker for suite plugins: third parties run it in their own tests to
/// learn whether their plugin keeps the `SuitePlugin` and `Suite` contracts.
///
/// ```swift
/// let problems = await PluginVerifier.verify(MyPlugin(), config: """
///     [[mine]]
///     name = "a"
///     file = "data.csv"
///     """, in: folderWithDataCSV)
/// #expect(problems.isEmpty, "\(problems)")
/// ```
public enum PluginVerifier {
    /// Checks `plugin` with `config` (a `runner.toml` whose only suite tables are the
    /// plugin's), as if the file lived in `directory`. Returns the problems found, in plain
    /// words; empty when the plugin conforms.
    ///
    /// It checks that: the tables load; one suite comes back per table, with the table's
    /// name and the plugin's table name; an unknown key is rejected with an error on that
    /// key's line; `collect()` gives unique, non-empty, single-line names, the same on a
    /// second call; every test runs to a verdict that is a real outcome; `finish()` returns.
    public static func verify(_ plugin: any SuitePlugin, config: String, in directory: URL) async -> [String] {
        var problems: [String] = []
        let file = directory.appendingPathComponent("runner.toml")
        let environment = PluginEnvironment(configFile: file, runSeed: 12345)
        let loaded: RunnerConfig
        do {
            loaded = try RunnerConfig.parse(config, file: file, pluginTables: [plugin.tableName])
        } catch {
            return ["the config does not load: \(error)"]
        }
        let tables = loaded.suiteTables[plugin.tableName] ?? []
        if tables.isEmpty { return ["the config has no [[\(plugin.tableName)]] table"] }

        let suites: [any Suite]
        do {
            suites = try PluginSet([plugin]).makeSuites(config: loaded, environment: environment)
        } catch {
            return ["makeSuites rejected a valid config: \(error)"]
        }
        if suites.count != tables.count {
            problems.append("makeSuites returned \(suites.count) suites for \(tables.count) tables")
        }
        for (suite, table) in zip(suites, tables) {
            if case .string(let name)? = table["name"]?.value, name != suite.name {
                problems.append("suite '\(suite.name)' should be named '\(name)' as its table says")
            }
            if suite.plugin != plugin.tableName {
                problems.append("suite '\(suite.name)' reports plugin '\(suite.plugin)', not '\(plugin.tableName)'")
            }
        }
        problems += unknownKeyProblems(plugin, config: config, file: file, environment: environment)

        for suite in suites {
            do throws(SuiteError) {
                let first = try await suite.collect()
                let second = try await suite.collect()
                let names = first.map(\.name)
                if names != second.map(\.name) {
                    problems.append("suite '\(suite.name)': collect() gave different tests on a second call; ids must be stable")
                }
                if Set(names).count != names.count {
                    problems.append("suite '\(suite.name)': collect() gave duplicate test names")
                }
                for name in names where name.isEmpty || name.contains(where: \.isNewline) {
                    problems.append("suite '\(suite.name)': test name \(String(reflecting: name)) is empty or has a line break")
                }
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-verifier-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: scratch) }
                for test in first {
                    let id = TestID(suite: suite.name, name: test.name)
                    // A thrown error is a legitimate failure of the test.
                    let record = await TestRun(id: id, test: test, runSeed: 12345, timeout: test.timeout,
                                               configDirectory: directory, scratchRoot: scratch).run(suite)
                    if record.verdict.outcome == .collected {
                        problems.append("\(id): run returned the outcome 'collected', which only --collect-only reports use")
                    }
                }
            } catch {
                problems.append("suite '\(suite.name)': collect() failed on a valid config: \(error.message)")
            }
            await suite.finish()
        }
        return problems
    }

    /// Adds an unknown key to the first table and checks the error names its line.
    private static func unknownKeyProblems(_ plugin: any SuitePlugin, config: String, file: URL, environment: PluginEnvironment) -> [String] {
        var lines = config.components(separatedBy: "\n")
        guard let header = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "[[\(plugin.tableName)]]" }) else {
            return []
        }
        lines.insert("mlrun_verifier_unknown_key = 1", at: header + 1)
        let expectedLine = header + 2
        do {
            let loaded = try RunnerConfig.parse(lines.joined(separator: "\n"), file: file, pluginTables: [plugin.tableName])
            _ = try plugin.makeSuites(from: loaded.suiteTables[plugin.tableName] ?? [], environment: environment)
            return ["an unknown key in [[\(plugin.tableName)]] was accepted; unknown keys must be errors (use ConfigTable.rejectUnknownKeys)"]
        } catch {
            if error.position?.line != expectedLine {
                return ["the error for an unknown key should name line \(expectedLine); it said: \(error)"]
            }
            return []
        }
    }
}
