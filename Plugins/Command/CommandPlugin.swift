import Foundation
import MLRunCore

/// The built-in `command` plugin: suites that are external programs speaking the suite
/// protocol v1 (SPEC §7), in any language.
///
/// ```toml
/// [[command]]
/// name = "pyunit"
/// run = ["python3", "tests/plugin.py"]
/// markers = ["unit"]
/// paths = ["src/**/*.py"]
/// cwd = "."                 # optional: the program's folder, relative to runner.toml
/// env = { PYTHONHASHSEED = "0" }   # optional: added to the environment
/// timeout = 30              # optional: per-test limit for this suite's tests, seconds
/// discover_timeout = 120    # optional: limit for `discover`, seconds (default 120)
/// ```
package struct CommandPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "command" }
    package var summary: String { "external programs speaking the suite protocol v1 (JSON Lines over stdin/stdout)" }

    static let keys = ["name", "run", "markers", "paths", "cwd", "env", "timeout", "discover_timeout"]

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            try table.rejectUnknownKeys(allowed: CommandPlugin.keys)
            let declaration = try table.suiteDeclaration()
            guard let argv = try table.stringArray("run") else {
                throw ConfigError(
                    "\(table.displayName) needs 'run', the program and its arguments (e.g. run = [\"python3\", \"tests/plugin.py\"])",
                    at: table.position)
            }
            guard let program = argv.first, !program.isEmpty else {
                throw ConfigError("'run' in \(table.displayName) must name a program", at: table.position(of: "run"))
            }
            let cwd = try table.path("cwd", relativeTo: environment.configDirectory, expecting: .folder)
            let directory = cwd?.url ?? environment.configDirectory
            var variables: [String: String] = [:]
            if let env = try table.table("env") {
                for (key, node) in env.entries {
                    guard case .string(let value) = node.value else {
                        throw ConfigError("env variable '\(key)' must be a string, not \(node.typeWithArticle)", at: node.position)
                    }
                    variables[key] = value
                }
            }
            suites.append(
                CommandSuite(
                    name: declaration.name,
                    markers: declaration.markers,
                    paths: declaration.paths,
                    argv: argv,
                    directory: directory,
                    configDirectory: environment.configDirectory,
                    environment: variables,
                    runSeed: environment.runSeed,
                    firstWorkerEnvironment: environment.firstWorkerEnvironment,
                    timeout: try table.number("timeout", in: 0.001...1e9),
                    discoverTimeout: try table.number("discover_timeout", in: 0.001...1e9) ?? 120
                ))
        }
        return suites
    }
}
