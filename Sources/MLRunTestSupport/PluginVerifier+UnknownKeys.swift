import Foundation
import MLRunCore

extension PluginVerifier {
    /// Adds an unknown key to the first table and checks the error names its line.
    static func unknownKeyProblems(_ plugin: any SuitePlugin, config: String, file: URL, environment: PluginEnvironment) -> [String] {
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
