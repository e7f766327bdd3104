import Foundation
import MarkerExpression
import TOMLKit

/// A loaded `runner.toml`: the `[runner]` settings and every plugin's suite tables.
package struct RunnerConfig: Sendable {
    /// The config file, absolute.
    package var file: URL
    /// `[runner] strict_markers`.
    package var strictMarkers: Bool
    /// `[runner] timeout`: the default per-test limit in seconds.
    package var timeout: Double?
    /// `[runner] default_selection`: the `-m` expression used when the command line has no
    /// `-m` (as pytest's `addopts = -m "…"`); `-m ""` selects everything.
    package var defaultSelection: String?
    /// `[runner.markers]`: declared markers and their descriptions, in file order.
    package var markers: [(name: String, description: String)]
    /// The suite tables by table name (`command` → its `[[command]]` tables), in file order.
    package var suiteTables: [String: [ConfigTable]]
    /// `[runner.groups]`: test groups (a test joins by a marker of the group's name) and how
    /// many of their tests may run at once under `-n`. Always holds `serial` (1).
    package var groups: [String: Int] = ["serial": 1]

    package var directory: URL { file.deletingLastPathComponent() }

    /// Finds the config: `explicit` if given, else `runner.toml` in `start` or its nearest parent.
    package static func locate(explicit: String?, from start: URL) throws(ConfigError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: start).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ConfigError("config file not found", file: explicit)
            }
            if isDirectory.boolValue {
                let inner = url.appendingPathComponent("runner.toml")
                guard FileManager.default.fileExists(atPath: inner.path) else {
                    throw ConfigError("no runner.toml in this folder", file: explicit)
                }
                return inner
            }
            return url
        }
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("runner.toml")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw ConfigError("no runner.toml in \(start.path) or any parent folder (pass -c FILE)", file: nil)
    }

    /// Reads and validates a config. `pluginTables` are the table names plugins own; any other
    /// top-level table or key is an error.
    package static func load(_ file: URL, pluginTables: Set<String>) throws(ConfigError) -> RunnerConfig {
        let displayPath = file.path
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ConfigError("cannot read config: \(error.localizedDescription)", file: displayPath)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("config is not valid UTF-8", file: displayPath)
        }
        return try parse(text, file: file, pluginTables: pluginTables)
    }

    /// Validates config text; `file` is used for messages and relative paths.
    package static func parse(_ text: String, file: URL, pluginTables: Set<String>) throws(ConfigError) -> RunnerConfig {
        let displayPath = file.path
        let toml: TOMLTable
        do {
            toml = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                "invalid TOML: \(error.description)",
                at: SourcePosition(file: displayPath, line: error.source.begin.line, column: error.source.begin.column))
        } catch {
            throw ConfigError("invalid TOML: \(error)", file: displayPath)
        }
        let converter = TOMLConverter(file: displayPath, positions: TOMLPositions(text: text))
        let root = converter.table(toml, path: "", displayName: "the top level", at: SourcePosition(file: displayPath, line: 1, column: 1))

        var config = RunnerConfig(file: file, strictMarkers: false, timeout: nil, markers: [], suiteTables: [:])
        for (key, node) in root.entries {
            if key == "runner" {
                guard case .table(let runner) = node.value else {
                    throw ConfigError("'runner' must be a table ([runner])", at: node.position)
                }
                try config.readRunner(runner)
            } else if pluginTables.contains(key) {
                guard case .array(let elements) = node.value else {
                    throw ConfigError("'\(key)' must be an array of tables ([[\(key)]])", at: node.position)
                }
                var tables: [ConfigTable] = []
                for element in elements {
                    guard case .table(let table) = element.value else {
                        throw ConfigError("each [[\(key)]] entry must be a table", at: element.position)
                    }
                    tables.append(table)
                }
                config.suiteTables[key] = tables
            } else {
                let known = (["runner"] + pluginTables.sorted()).joined(separator: ", ")
                throw ConfigError("unknown table or key '\(key)' (known: \(known))", at: node.position)
            }
        }
        try config.rejectDuplicateSuiteNames()
        return config
    }

    private mutating func readRunner(_ runner: ConfigTable) throws(ConfigError) {
        try runner.rejectUnknownKeys(allowed: ["strict_markers", "timeout", "markers", "groups", "default_selection"])
        strictMarkers = try runner.bool("strict_markers") ?? false
        timeout = try runner.number("timeout", in: 0.001...1e9)
        if let expression = try runner.string("default_selection"), !expression.isEmpty {
            do throws(ExpressionError) {
                _ = try MatchExpression.parse(expression)
            } catch {
                throw ConfigError(
                    "'default_selection' is not a marker expression: \(expression): at column \(error.column): \(error.message)",
                    at: runner.position(of: "default_selection"))
            }
            defaultSelection = expression
        }
        if let declared = try runner.table("markers") {
            for (name, node) in declared.entries {
                guard case .string(let description) = node.value else {
                    throw ConfigError("marker '\(name)' needs a description string (\(name) = \"…\"), not \(node.typeWithArticle)", at: node.position)
                }
                markers.append((name, description))
            }
        }
        if let declared = try runner.table("groups") {
            for (name, node) in declared.entries {
                guard case .table(let group) = node.value else {
                    throw ConfigError("group '\(name)' must be a table, e.g. \(name) = { max_parallel = 1 }", at: node.position)
                }
                try group.rejectUnknownKeys(allowed: ["max_parallel"])
                guard let limit = try group.integer("max_parallel", in: 1...1_000_000) else {
                    throw ConfigError("group '\(name)' needs max_parallel, a whole number of at least 1", at: node.position)
                }
                groups[name] = limit
                if !markers.contains(where: { $0.name == name }) && MarkerRegistry.builtIns.allSatisfy({ $0.name != name }) {
                    markers.append((name, "test group: at most \(limit) at once under -n"))
                }
            }
        }
    }

    private func rejectDuplicateSuiteNames() throws(ConfigError) {
        var seen: [String: SourcePosition] = [:]
        for tables in suiteTables.values {
            for table in tables {
                guard let node = table["name"], case .string(let name) = node.value else { continue }
                if let first = seen[name] {
                    throw ConfigError("suite name '\(name)' is used twice (first at line \(first.line))", at: node.position)
                }
                seen[name] = node.position
            }
        }
    }
}

/// Turns TOMLKit's tree into `ConfigTable`s with positions.
private struct TOMLConverter {
    let file: String
    let positions: TOMLPositions

    func position(_ path: String, fallback: SourcePosition) -> SourcePosition {
        guard let p = positions.position(of: path) else { return fallback }
        return SourcePosition(file: file, line: p.line, column: p.column)
    }

    func table(_ toml: TOMLTable, path: String, displayName: String, at position: SourcePosition) -> ConfigTable {
        var entries: [(key: String, node: ConfigNode)] = []
        for key in toml.keys {
            guard let value = toml[key] else { continue }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            let childPosition = self.position(childPath, fallback: position)
            entries.append((key, node(value, path: childPath, displayName: path.isEmpty ? "[\(key)]" : "\(displayName).\(key)", at: childPosition)))
        }
        // toml++ keeps keys sorted; present them in file order.
        entries.sort { ($0.node.position.line, $0.node.position.column) < ($1.node.position.line, $1.node.position.column) }
        return ConfigTable(displayName: displayName, position: position, entries: entries)
    }

    func node(_ value: TOMLValueConvertible, path: String, displayName: String, at position: SourcePosition) -> ConfigNode {
        if let table = value.table {
            return ConfigNode(value: .table(self.table(table, path: path, displayName: displayName, at: position)), position: position)
        }
        if let array = value.array {
            var elements: [ConfigNode] = []
            // A top-level array of tables is `[[name]]` in the file; any other array is `key[i]`.
            let topLevelName = path.contains(".") || path.contains("[") ? nil : path
            for i in 0..<array.count {
                let elementPath = "\(path)[\(i)]"
                let elementPosition = self.position(elementPath, fallback: position)
                let elementName: String
                if let topLevelName {
                    elementName = array[i].type == .table ? "[[\(topLevelName)]] #\(i + 1)" : "\(topLevelName)[\(i)]"
                } else {
                    elementName = "\(displayName)[\(i)]"
                }
                elements.append(node(array[i], path: elementPath, displayName: elementName, at: elementPosition))
            }
            return ConfigNode(value: .array(elements), position: position)
        }
        switch value.type {
        case .string: return ConfigNode(value: .string(value.string ?? ""), position: position)
        case .int: return ConfigNode(value: .int(value.int ?? 0), position: position)
        case .double: return ConfigNode(value: .double(value.double ?? 0), position: position)
        case .bool: return ConfigNode(value: .bool(value.bool ?? false), position: position)
        default: return ConfigNode(value: .dateTime(value.debugDescription), position: position)
        }
    }
}

extension RunnerConfig {
    /// Under `--strict-markers`: throws for the first marker in a suite table's `markers`
    /// that `registry` does not know, at the marker's line and column.
    package func checkSuiteMarkers(against registry: MarkerRegistry) throws(ConfigError) {
        for tables in suiteTables.values {
            for table in tables {
                guard let node = table["markers"], case .array(let elements) = node.value else { continue }
                for element in elements {
                    let name: String?
                    switch element.value {
                    case .string(let s): name = s
                    case .table(let t): name = try t.string("name")
                    default: name = nil
                    }
                    if let name, !registry.isDeclared(name) {
                        throw ConfigError("marker '\(name)' is not declared in [runner.markers] (strict markers are on)", at: element.position)
                    }
                }
            }
        }
    }
}
