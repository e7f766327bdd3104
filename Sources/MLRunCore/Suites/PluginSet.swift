/// The suite plugins of one `mlrun`: the built-ins and a team's own, each owning one config
/// table name. The one place suites are made from plugins — for a run, a worker process, and
/// the test-support harness and verifier alike.
package struct PluginSet: Sendable {
    package let plugins: [any SuitePlugin]

    /// Two plugins that claim the same table name are a usage error.
    package init(_ plugins: [any SuitePlugin]) throws(ConfigError) {
        var owners: [String: String] = [:]
        for plugin in plugins {
            let owner = String(describing: type(of: plugin))
            if let first = owners[plugin.tableName] {
                throw ConfigError("two plugins claim the config table [[\(plugin.tableName)]]: \(first) and \(owner)", file: nil)
            }
            owners[plugin.tableName] = owner
        }
        self.plugins = plugins
    }

    /// The table names the plugins own, for `RunnerConfig.load`.
    package var tableNames: Set<String> { Set(plugins.map(\.tableName)) }

    /// Every suite of `config`, each plugin given its tables (a plugin without tables is not
    /// called), in config-file order whatever plugin made them.
    package func makeSuites(config: RunnerConfig, environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        var order: [String: SourcePosition] = [:]
        for plugin in plugins {
            guard let tables = config.suiteTables[plugin.tableName], !tables.isEmpty else { continue }
            for table in tables {
                if case .string(let name)? = table["name"]?.value { order[name] = table.position }
            }
            suites += try plugin.makeSuites(from: tables, environment: environment)
        }
        func key(_ suite: any Suite, _ offset: Int) -> (Int, Int, Int) {
            let position = order[suite.name]
            return (position?.line ?? Int.max, position?.column ?? 0, offset)
        }
        // A stable sort: suites of one table position keep the order their plugin gave.
        return suites.enumerated().sorted { key($0.element, $0.offset) < key($1.element, $1.offset) }.map(\.element)
    }
}
