/// A value from `runner.toml`, with where it was written.
public struct ConfigNode: Sendable {
    public enum Value: Sendable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        /// A TOML date, time or date-time, as written.
        case dateTime(String)
        case array([ConfigNode])
        case table(ConfigTable)
    }

    public var value: Value
    /// Where the key (or, in an array, the element) was written.
    public var position: SourcePosition

    /// A short name of the value's type for error messages.
    public var typeName: String {
        switch value {
        case .string: return "string"
        case .int: return "integer"
        case .double: return "float"
        case .bool: return "boolean"
        case .dateTime: return "date-time"
        case .array: return "array"
        case .table: return "table"
        }
    }

    /// The type name with its article, for "… not an integer".
    public var typeWithArticle: String {
        typeName.first.map { "aeiou".contains($0) } == true ? "an \(typeName)" : "a \(typeName)"
    }
}

/// A TOML table with positions and typed accessors whose errors name file, line and column.
///
/// Plugins receive their `[[name]]` tables as `ConfigTable`s.
public struct ConfigTable: Sendable {
    /// How the table is named in messages, e.g. `[[command]] #2` or `[runner.markers]`.
    public var displayName: String
    /// Where the table starts (its header, or its key for an inline table).
    public var position: SourcePosition
    /// The entries in file order.
    public var entries: [(key: String, node: ConfigNode)]

    public init(displayName: String, position: SourcePosition, entries: [(key: String, node: ConfigNode)]) {
        self.displayName = displayName
        self.position = position
        self.entries = entries
    }

    public subscript(key: String) -> ConfigNode? {
        entries.first(where: { $0.key == key })?.node
    }

    /// Where `key` was written, or where the table starts when it is absent.
    ///
    /// For errors about a key that a check found present, and about keys that may be missing.
    public func position(of key: String) -> SourcePosition {
        self[key]?.position ?? position
    }

    /// Throws when a key is not in `allowed`: one error for the first such key, naming it and
    /// listing the allowed ones, with every other unknown key among its `further` problems.
    public func rejectUnknownKeys(allowed: [String]) throws(ConfigError) {
        let unknown = entries.filter { !allowed.contains($0.key) }
        guard let first = unknown.first else { return }
        throw ConfigError(
            "unknown key '\(first.key)' in \(displayName) (allowed: \(allowed.joined(separator: ", ")))", at: first.node.position,
            further: unknown.dropFirst().map { ConfigError("unknown key '\($0.key)' in \(displayName)", at: $0.node.position) })
    }

    func mistyped(_ key: String, _ node: ConfigNode, expected: String) -> ConfigError {
        ConfigError("'\(key)' in \(displayName) must be \(expected), not \(node.typeWithArticle)", at: node.position)
    }

    func missing(_ key: String, _ expected: String) -> ConfigError {
        ConfigError("\(displayName) needs '\(key)' (\(expected))", at: position)
    }

    /// A string, or nil when the key is absent.
    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = self[key] else { return nil }
        guard case .string(let value) = node.value else { throw mistyped(key, node, expected: "a string") }
        return value
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw missing(key, "a string") }
        return value
    }

    /// A boolean, or nil when absent.
    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let node = self[key] else { return nil }
        guard case .bool(let value) = node.value else { throw mistyped(key, node, expected: "true or false") }
        return value
    }

    /// A number (integer or float), or nil when absent; `range` bounds it.
    public func number(_ key: String, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        guard let node = self[key] else { return nil }
        let value: Double
        switch node.value {
        case .int(let i): value = Double(i)
        case .double(let d): value = d
        default: throw mistyped(key, node, expected: "a number")
        }
        if let range, !range.contains(value) {
            throw ConfigError(
                "'\(key)' in \(displayName) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node.position)
        }
        return value
    }

    /// An array of strings, or nil when absent.
    public func stringArray(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = self[key] else { return nil }
        guard case .array(let elements) = node.value else { throw mistyped(key, node, expected: "an array of strings") }
        var result: [String] = []
        for element in elements {
            guard case .string(let s) = element.value else {
                throw ConfigError("'\(key)' in \(displayName) must hold strings only, not \(element.typeWithArticle)", at: element.position)
            }
            result.append(s)
        }
        return result
    }

    /// A sub-table, or nil when absent.
    public func table(_ key: String) throws(ConfigError) -> ConfigTable? {
        guard let node = self[key] else { return nil }
        guard case .table(let table) = node.value else { throw mistyped(key, node, expected: "a table") }
        return table
    }

    /// Markers: strings (`"slow"`) or inline tables (`{ name = "device", kwargs = { serial = "1" } }`).
    public func markers(_ key: String = "markers") throws(ConfigError) -> [Marker] {
        guard let node = self[key] else { return [] }
        guard case .array(let elements) = node.value else { throw mistyped(key, node, expected: "an array of markers") }
        var result: [Marker] = []
        for element in elements {
            switch element.value {
            case .string(let name) where !name.isEmpty:
                result.append(Marker(name))
            case .table(let table):
                try table.rejectUnknownKeys(allowed: ["name", "kwargs"])
                let name = try table.requiredString("name")
                var kwargs: [String: MarkerValue] = [:]
                if let arguments = try table.table("kwargs") {
                    for (argument, value) in arguments.entries {
                        switch value.value {
                        case .string(let s): kwargs[argument] = .string(s)
                        case .int(let i): kwargs[argument] = .int(i)
                        case .bool(let b): kwargs[argument] = .bool(b)
                        default:
                            throw ConfigError(
                                "marker kwarg '\(argument)' must be a string, integer or boolean, not \(value.typeWithArticle)", at: value.position)
                        }
                    }
                }
                result.append(Marker(name, kwargs: kwargs))
            default:
                throw ConfigError(
                    "a marker in \(displayName) must be a non-empty string or { name = …, kwargs = { … } }, not \(element.typeWithArticle)",
                    at: element.position)
            }
        }
        return result
    }

    /// The keys every suite table has: `name` (required), `markers` and `paths`.
    public func suiteDeclaration() throws(ConfigError) -> SuiteDeclaration {
        let name = try requiredString("name")
        guard !name.isEmpty, !name.contains("::"), !name.contains(where: { $0.isWhitespace }) else {
            throw ConfigError("suite name '\(name)' must be non-empty, without spaces or '::'", at: position(of: "name"))
        }
        let paths = try stringArray("paths") ?? []
        // A glob that does not compile would silently never match under --changed.
        if case .array(let elements)? = self["paths"]?.value {
            for (path, element) in zip(paths, elements) {
                do throws(PathGlobError) {
                    _ = try PathGlob(path)
                } catch {
                    let at = SourcePosition(
                        file: element.position.file, line: element.position.line,
                        column: element.position.column + error.column)
                    throw ConfigError("bad glob '\(path)' in 'paths' of \(displayName): \(error.message)", at: at)
                }
            }
        }
        return SuiteDeclaration(name: name, markers: try markers(), paths: paths, position: position)
    }
}

/// The keys every suite table has.
public struct SuiteDeclaration: Sendable {
    public var name: String
    public var markers: [Marker]
    public var paths: [String]
    public var position: SourcePosition
}
