import Foundation
import MLRunCore
import MLRunData

/// One `[[data]]` table, validated: the file, how to read it, and its expectations.
struct DataSpec: Sendable {
    enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    /// The type a column's values must parse as.
    enum ValueType: String, Sendable, CaseIterable {
        case int, float, string, bool, datetime
    }

    /// A bound of `min`/`max`: a number, or an instant for datetime columns.
    enum Bound: Sendable, CustomStringConvertible {
        case number(Double)
        case instant(Timestamp)

        var description: String {
            switch self {
            case .number(let value): return DataSpec.format(value)
            case .instant(let value): return value.description
            }
        }
    }

    /// One column's expectations; nil or false where not asked for.
    struct Column: Sendable {
        var name: String
        var type: ValueType?
        var nullable = true
        var min: Bound?
        var max: Bound?
        var strictMin = false
        var strictMax = false
        /// The allowed values as written in the config (strings, numbers or booleans as text).
        var allowed: [String]?
        var regex: String?
        var unique = false
        var increasing = false
        var decreasing = false
        var strictly = false
        var notFuture = false
        var minClassFrequency: Double?
        var minClasses: Int?
        var minLength: Int?
        var maxLength: Int?
        var mostly: Double?
        /// Where the column's table starts, for messages.
        var position: SourcePosition

        /// The type values are read as: `string` when none is declared.
        var valueType: ValueType { type ?? .string }
    }

    struct Leakage: Sendable {
        var key: String
        var split: String?
        var against: String?
    }

    var name: String
    var markers: [Marker]
    var paths: [String]
    /// The file, resolved, and as written (for messages).
    var file: URL
    var fileAsWritten: String
    var format: Format
    var delimiter: UInt8
    var nullValues: [String]
    var key: [String]
    var columns: [Column]
    var minRows: Int?
    var maxRows: Int?
    var uniqueKeys: [[String]]
    var leakage: [Leakage]
    /// The `against` files of leakage checks, resolved.
    var againstFiles: [String: URL]
    var columnsExactly: Bool

    /// A number as a person writes it: `1` for 1.0, `0.25`, `1e-09`.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension DataSpec {
    static let suiteKeys = ["name", "markers", "paths", "file", "format", "delimiter", "null_values", "key", "columns", "table"]
    static let columnKeys = [
        "type", "nullable", "min", "max", "strict_min", "strict_max", "in", "regex", "unique",
        "increasing", "decreasing", "strictly", "not_future", "min_class_frequency", "min_classes",
        "min_length", "max_length", "mostly",
    ]
    static let tableKeys = ["min_rows", "max_rows", "unique", "leakage", "columns_exactly"]

    /// Validates one `[[data]]` table; every error names the line and column of the culprit.
    init(table: ConfigTable, environment: PluginEnvironment) throws(ConfigError) {
        try table.rejectUnknownKeys(allowed: Self.suiteKeys)
        let declaration = try table.suiteDeclaration()
        name = declaration.name
        markers = declaration.markers
        let path = try table.requiredPath("file", relativeTo: environment.configDirectory)
        let written = path.written
        fileAsWritten = written
        file = path.url
        if let declared = try table.choice("format", as: Format.self) {
            format = declared
        } else {
            switch file.pathExtension.lowercased() {
            case "csv", "tsv", "txt": format = .csv
            case "jsonl", "ndjson": format = .jsonl
            default:
                throw ConfigError("cannot tell the format of '\(written)' from its extension; add format = \"csv\" or \"jsonl\"", at: path.position)
            }
        }
        delimiter = try table.delimiter() ?? UInt8(ascii: file.pathExtension.lowercased() == "tsv" ? "\t" : ",")
        nullValues = try table.stringArray("null_values") ?? [""]
        key = try table.stringArray("key") ?? []

        columns = []
        if let columnTables = try table.table("columns") {
            for (columnName, node) in columnTables.entries {
                guard case .table(let columnTable) = node.value else {
                    throw ConfigError(
                        "'columns.\(columnName)' in \(table.displayName) must be a table ([data.columns.\(columnName)]), not \(node.typeWithArticle)",
                        at: node.position)
                }
                columns.append(try Self.column(columnName, columnTable, suite: table.displayName))
            }
        }
        var minRows: Int?, maxRows: Int?
        var uniqueKeys: [[String]] = []
        var leakage: [Leakage] = []
        var againstFiles: [String: URL] = [:]
        var columnsExactly = false
        if let tableSpec = try table.table("table") {
            try tableSpec.rejectUnknownKeys(allowed: Self.tableKeys)
            minRows = try tableSpec.integer("min_rows", in: 0...)
            maxRows = try tableSpec.integer("max_rows", in: 0...)
            if let minRows, let maxRows, minRows > maxRows {
                throw ConfigError("'min_rows' (\(minRows)) is above 'max_rows' (\(maxRows))", at: tableSpec.position(of: "max_rows"))
            }
            if let node = tableSpec["unique"] {
                guard case .array(let keys) = node.value else {
                    throw ConfigError(
                        "'unique' in [data.table] must be an array of column lists, e.g. [[\"user_id\", \"timestamp\"]]", at: node.position)
                }
                for keyNode in keys {
                    guard case .array(let names) = keyNode.value, !names.isEmpty else {
                        throw ConfigError("each entry of 'unique' must be a non-empty array of column names", at: keyNode.position)
                    }
                    var columnsOfKey: [String] = []
                    for nameNode in names {
                        guard case .string(let column) = nameNode.value else {
                            throw ConfigError("a column name in 'unique' must be a string, not \(nameNode.typeWithArticle)", at: nameNode.position)
                        }
                        columnsOfKey.append(column)
                    }
                    uniqueKeys.append(columnsOfKey)
                }
            }
            if let node = tableSpec["leakage"] {
                var entries: [ConfigNode] = []
                switch node.value {
                case .table: entries = [node]
                case .array(let many): entries = many
                default:
                    throw ConfigError(
                        "'leakage' in [data.table] must be a table { key = …, split = … } or { key = …, against = … }, not \(node.typeWithArticle)",
                        at: node.position)
                }
                for entry in entries {
                    guard case .table(let spec) = entry.value else {
                        throw ConfigError("each 'leakage' entry must be a table { key = …, split = … }", at: entry.position)
                    }
                    try spec.rejectUnknownKeys(allowed: ["key", "split", "against"])
                    let key = try spec.requiredString("key")
                    let split = try spec.string("split")
                    let against = try spec.string("against")
                    guard (split == nil) != (against == nil) else {
                        throw ConfigError(
                            "'leakage' needs exactly one of 'split' (a column of this file) or 'against' (another file)", at: entry.position)
                    }
                    if let against = try spec.path("against", relativeTo: environment.configDirectory) {
                        againstFiles[against.written] = against.url
                    }
                    leakage.append(Leakage(key: key, split: split, against: against))
                }
            }
            columnsExactly = try tableSpec.bool("columns_exactly") ?? false
        }
        self.minRows = minRows
        self.maxRows = maxRows
        self.uniqueKeys = uniqueKeys
        self.leakage = leakage
        self.againstFiles = againstFiles
        self.columnsExactly = columnsExactly
        // Every file the suite reads selects it under --changed.
        paths = declaration.paths + [PathGlob.literal(written)] + againstFiles.keys.sorted().map(PathGlob.literal)
    }

    private static func column(_ name: String, _ table: ConfigTable, suite: String) throws(ConfigError) -> Column {
        try table.rejectUnknownKeys(allowed: columnKeys)
        var column = Column(name: name, position: table.position)
        column.type = try table.choice("type", as: ValueType.self)
        column.nullable = try table.bool("nullable") ?? true
        for (key, isMin) in [("min", true), ("max", false)] {
            guard let node = table[key] else { continue }
            let bound: Bound
            switch (node.value, column.valueType) {
            case (.int(let value), .int), (.int(let value), .float): bound = .number(Double(value))
            case (.double(let value), .int), (.double(let value), .float): bound = .number(value)
            case (.dateTime(let text), .datetime), (.string(let text), .datetime):
                guard let instant = Timestamp.parse(text) else {
                    throw ConfigError("'\(key)' of column '\(name)' is not an ISO 8601 date or date-time: \(text)", at: node.position)
                }
                bound = .instant(instant)
            case (_, .string), (_, .bool):
                throw ConfigError(
                    "'\(key)' needs a column of type int, float or datetime; '\(name)' is \(column.valueType.rawValue) (set 'type')",
                    at: node.position)
            default:
                throw ConfigError(
                    "'\(key)' of \(column.valueType.rawValue) column '\(name)' must be \(column.valueType == .datetime ? "a date-time" : "a number"), not \(node.typeWithArticle)",
                    at: node.position)
            }
            if isMin { column.min = bound } else { column.max = bound }
        }
        column.strictMin = try table.bool("strict_min") ?? false
        column.strictMax = try table.bool("strict_max") ?? false
        if column.strictMin && column.min == nil {
            throw ConfigError("'strict_min' of column '\(name)' needs 'min'", at: table.position(of: "strict_min"))
        }
        if column.strictMax && column.max == nil {
            throw ConfigError("'strict_max' of column '\(name)' needs 'max'", at: table.position(of: "strict_max"))
        }
        if let node = table["in"] {
            guard case .array(let elements) = node.value, !elements.isEmpty else {
                throw ConfigError("'in' of column '\(name)' must be a non-empty array of allowed values", at: node.position)
            }
            var allowed: [String] = []
            for element in elements {
                let text: String
                switch element.value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                case .double(let d): text = "\(d)"
                case .bool(let b): text = b ? "true" : "false"
                default:
                    throw ConfigError(
                        "a value in 'in' of column '\(name)' must be a string, number or boolean, not \(element.typeWithArticle)",
                        at: element.position)
                }
                try validateAllowed(text, type: column.valueType, column: name, at: element.position)
                allowed.append(text)
            }
            column.allowed = allowed
        }
        if let pattern = try table.string("regex") {
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw ConfigError("'regex' of column '\(name)' does not compile: \(pattern)", at: table.position(of: "regex"))
            }
            column.regex = pattern
        }
        column.unique = try table.bool("unique") ?? false
        column.increasing = try table.bool("increasing") ?? false
        column.decreasing = try table.bool("decreasing") ?? false
        column.strictly = try table.bool("strictly") ?? false
        if column.increasing && column.decreasing {
            throw ConfigError("column '\(name)' cannot be both 'increasing' and 'decreasing'", at: table.position(of: "decreasing"))
        }
        if column.strictly && !column.increasing && !column.decreasing {
            throw ConfigError("'strictly' of column '\(name)' needs 'increasing' or 'decreasing'", at: table.position(of: "strictly"))
        }
        column.notFuture = try table.bool("not_future") ?? false
        if column.notFuture && column.valueType != .datetime {
            throw ConfigError(
                "'not_future' needs a column of type datetime; '\(name)' is \(column.valueType.rawValue)", at: table.position(of: "not_future"))
        }
        column.minClassFrequency = try table.number("min_class_frequency", in: 0...1)
        column.minClasses = try table.integer("min_classes", in: 1...)
        column.minLength = try table.integer("min_length", in: 0...)
        column.maxLength = try table.integer("max_length", in: 0...)
        if (column.minLength != nil || column.maxLength != nil) && column.valueType != .string {
            throw ConfigError(
                "'min_length'/'max_length' need a string column; '\(name)' is \(column.valueType.rawValue)",
                at: table.position(of: column.minLength != nil ? "min_length" : "max_length"))
        }
        column.mostly = try table.number("mostly", in: 0...1)
        return column
    }

    /// An `in` value must be readable as the column's type.
    private static func validateAllowed(_ value: String, type: ValueType, column: String, at position: SourcePosition) throws(ConfigError) {
        var copy = value
        let ok = copy.withUTF8 { bytes in ValueParser.parse(bytes, as: type) != nil }
        if !ok {
            throw ConfigError("'\(value)' in 'in' of column '\(column)' is not a valid \(type.rawValue)", at: position)
        }
    }
}
