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
///     """, files: ["data.csv": "x,y\n1,2\n"])
/// #expect(problems.isEmpty, "\(problems)")
/// ```
public enum PluginVerifier {
    /// Checks `plugin` with `config` in a fresh temporary folder holding `files` (path
    /// relative to the folder → contents), removed afterwards; see
    /// ``verify(_:config:in:limits:)`` for what is checked. A file that cannot be written is
    /// a problem.
    public static func verify(_ plugin: any SuitePlugin, config: String, files: [String: String] = [:], limits: Limits = Limits()) async
        -> [String]
    {
        let folder: URL
        do {
            folder = try SuiteHarness.folder(files)
        } catch {
            return ["the verifier could not write the files to a temporary folder: \(error)"]
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        return await verify(plugin, config: config, in: folder, limits: limits)
    }

    /// Checks `plugin` with `config` (a `runner.toml` whose only suite tables are the
    /// plugin's), as if the file lived in `directory`. Returns the problems found, in plain
    /// words; empty when the plugin conforms.
    ///
    /// It checks that: the tables load; one suite comes back per table, with the table's
    /// name and the plugin's table name; an unknown key is rejected with an error on that
    /// key's line; `collect()` gives unique, non-empty, single-line names, the same on a
    /// second call; every test runs to a verdict that is a real outcome; `finish()` returns.
    ///
    /// Then it runs the tests again the ways the runner may, each way on suites made afresh
    /// (as in a new run, so that work a suite keeps from its first run hides nothing), each
    /// run bounded by `limits`:
    /// - **cancellation**: on a task cancelled before the test starts, and on one cancelled
    ///   `limits.cancelAfter` after it starts, `run` returns within `limits.grace` of the
    ///   cancellation (any verdict); afterwards every test still comes to its outcome of the
    ///   plain run, as the runner goes on with a suite after a test over its time limit;
    /// - **timeouts**, for suites with `enforcesTimeouts`: with `context.timeout` set to
    ///   `limits.timeLimit`, `run` comes back within the limit plus `limits.grace` (or as
    ///   `timeout` within three graces more, which a busy machine can take), and a test it
    ///   stopped is reported as `timeout`;
    /// - **`.perWorker` suites** with two tests or more: run on workers 0 and 1 at once (one
    ///   test at a time per worker), the tests come to the same outcomes as when run one by
    ///   one, and `finish()` then returns within `limits.grace`.
    ///
    /// What the verifier cannot see: it cannot make a test take long. A test that finishes
    /// within `limits.cancelAfter`, or within its limit, says nothing about how it is stopped
    /// midway; give the config a test that would run longer than `limits.cancelAfter` or
    /// `limits.timeLimit` plus `limits.grace` (a sleep will do) to have that checked. A run
    /// that does not come back in time is left running, and that probe's later runs of the
    /// suite are skipped.
    public static func verify(_ plugin: any SuitePlugin, config: String, in directory: URL, limits: Limits = Limits()) async -> [String] {
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

        var baselines: [[String: TestRun.Record]] = []
        for suite in suites {
            var check = SuiteCheck(suite: suite, directory: directory, runSeed: environment.runSeed, limits: limits)
            await check.runAlone()
            problems += check.problems
            baselines.append(check.alone)
        }
        // Each probe gets suites of its own, fresh as in a new run: a suite that does its work
        // in the first test's run and keeps the results would otherwise hide how that work
        // stops, times out or runs concurrently.
        for probe in SuiteCheck.Probe.allCases {
            guard let fresh = try? PluginSet([plugin]).makeSuites(config: loaded, environment: environment) else { break }
            for (suite, alone) in zip(fresh, baselines) where probe.applies(to: suite) {
                var check = SuiteCheck(suite: suite, directory: directory, runSeed: environment.runSeed, limits: limits, alone: alone)
                await check.run(probe)
                problems += check.problems.filter { !problems.contains($0) }
            }
        }
        return problems
    }
}
