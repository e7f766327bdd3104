import CommandPlugin
import Foundation
import MLRunCore

/// The built-in `pytest` plugin: an existing pytest suite, unchanged, as an mlrun suite. One
/// test per pytest item, named by its node id; run by mlrun's bridge (`mlrun_pytest.py`, a
/// pytest plugin) over the suite protocol, in one persistent pytest process per worker.
///
/// ```toml
/// [[pytest]]
/// name = "unit"
/// cwd = "."                         # pytest's working folder (its rootdir search starts here)
/// args = ["tests", "-p", "no:randomly"]   # what you would pass to pytest
/// python = ["python3"]              # the interpreter argv
/// env = { PYTHONHASHSEED = "0" }
/// seed_random = true                # seed random, numpy.random and torch from the test's seed
/// timeout = 60                      # per-test limit for tests without their own
/// discover_timeout = 300            # limit for pytest's collection (default 300 s)
/// ```
package struct PytestPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "pytest" }
    package var summary: String { "existing pytest suites, run unchanged (one test per pytest item)" }

    static let keys = ["name", "markers", "paths", "cwd", "args", "python", "env", "timeout", "discover_timeout", "seed_random"]

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            try table.rejectUnknownKeys(allowed: PytestPlugin.keys)
            let declaration = try table.suiteDeclaration()
            let python = try table.stringArray("python") ?? ["python3"]
            guard let interpreter = python.first, !interpreter.isEmpty else {
                throw ConfigError("'python' in \(table.displayName) must name an interpreter, e.g. [\"python3\"]", at: table.position(of: "python"))
            }
            let arguments = try table.stringArray("args") ?? []
            let cwd = try table.path("cwd", relativeTo: environment.configDirectory, expecting: .folder)
            var variables: [String: String] = [:]
            if let env = try table.table("env") {
                for (key, node) in env.entries {
                    guard case .string(let value) = node.value else {
                        throw ConfigError("env variable '\(key)' must be a string, not \(node.typeWithArticle)", at: node.position)
                    }
                    variables[key] = value
                }
            }
            if try table.bool("seed_random") ?? false { variables["MLRUN_PYTEST_SEED_RANDOM"] = "1" }
            guard let bridge = PytestBridge.file.file() else {
                throw ConfigError(
                    "cannot write mlrun's pytest bridge (mlrun_pytest.py) into \(FileManager.default.temporaryDirectory.path)", at: table.position)
            }
            suites.append(
                CommandSuite(
                    name: declaration.name,
                    plugin: "pytest",
                    markers: declaration.markers,
                    paths: declaration.paths,
                    argv: python + [bridge.path] + arguments,
                    directory: cwd?.url ?? environment.configDirectory,
                    configDirectory: environment.configDirectory,
                    environment: variables,
                    runSeed: environment.runSeed,
                    firstWorkerEnvironment: environment.firstWorkerEnvironment,
                    timeout: try table.number("timeout", in: 0.001...1e9),
                    discoverTimeout: try table.number("discover_timeout", in: 0.001...1e9) ?? 300,
                    servesDiscovery: true
                ))
        }
        return suites
    }
}
