import Foundation
import MLRunCore
import MLRunStats

/// A drift method: a two-sample test or distance on one column.
enum DriftMethod: String, Sendable, CaseIterable {
    case ks, chi2, psi
    case jensenShannon = "jensen_shannon"
    case wasserstein, zscore

    /// Whether the method gives a p-value (decided by `alpha`) rather than a distance
    /// (decided by `threshold`).
    var isTest: Bool { self == .ks || self == .chi2 }

    /// Whether the method reads numbers (ks, wasserstein, zscore), categories (chi2), or either
    /// (psi, jensen_shannon: decile bins or one bin per category).
    var acceptsNumeric: Bool { self != .chi2 }
    var acceptsCategorical: Bool { self == .chi2 || self == .psi || self == .jensenShannon }

    /// The default threshold of a distance: PSI 0.2 (the credit-scoring rule of thumb's
    /// "significant shift" starts between 0.1 and 0.25), Jensen–Shannon 0.1 and normalised
    /// Wasserstein 0.1 (Evidently's defaults), z-score 0.5 (half a reference standard deviation).
    var defaultThreshold: Double? {
        switch self {
        case .ks, .chi2: return nil
        case .psi: return 0.2
        case .jensenShannon: return 0.1
        case .wasserstein: return 0.1
        case .zscore: return 0.5
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What a column is read as.
enum ColumnKind: String, Sendable, CaseIterable {
    case numeric, categorical
}

/// One `[[drift]]` table, validated.
struct DriftSpec: Sendable {
    /// Settings of one column (`[drift.columns.NAME]`); nil fields fall back to the suite's.
    struct ColumnSettings: Sendable {
        var methods: [DriftMethod]?
        var kind: ColumnKind?
        var threshold: Double?
        var minEffect: Double?
        var position: SourcePosition
    }

    var name: String
    var markers: [Marker]
    var paths: [String]
    var reference: URL
    var referenceAsWritten: String
    /// Whether `reference` is a snapshot written by `mlrun snapshot` (a `.json` file).
    var referenceIsSnapshot: Bool
    var current: URL
    var currentAsWritten: String
    var delimiter: UInt8?
    var nullValues: [String]
    /// The columns to compare: the `columns` array, or the `[drift.columns.NAME]` tables' names;
    /// nil: every column both files share (less `ignore`).
    var columns: [String]?
    var ignore: [String]
    /// The suite's methods; nil: ks for numeric columns, chi2 for categorical ones.
    var methods: [DriftMethod]?
    var alpha: Double
    var threshold: Double?
    var correction: MultipleTesting.Method
    var minEffect: Double?
    var columnSettings: [String: ColumnSettings]

    static let keys = [
        "name", "markers", "paths", "reference", "current", "delimiter", "null_values", "columns", "ignore",
        "method", "alpha", "threshold", "correction", "min_effect",
    ]
    static let columnKeys = ["method", "type", "threshold", "min_effect"]

    init(table: ConfigTable, environment: PluginEnvironment) throws(ConfigError) {
        try table.rejectUnknownKeys(allowed: Self.keys)
        let declaration = try table.suiteDeclaration()
        name = declaration.name
        markers = declaration.markers
        let referencePath = try table.requiredPath("reference", relativeTo: environment.configDirectory)
        let currentPath = try table.requiredPath("current", relativeTo: environment.configDirectory)
        (reference, referenceAsWritten) = (referencePath.url, referencePath.written)
        (current, currentAsWritten) = (currentPath.url, currentPath.written)
        referenceIsSnapshot = reference.pathExtension.lowercased() == "json"
        if current.pathExtension.lowercased() == "json" {
            throw ConfigError(
                "'current' must be a data file (CSV, TSV or JSON Lines); a .json snapshot can only be the reference",
                at: currentPath.position)
        }
        delimiter = try table.delimiter()
        nullValues = try table.stringArray("null_values") ?? [""]
        ignore = try table.stringArray("ignore") ?? []
        alpha = try table.number("alpha", in: 1e-12...0.5) ?? 0.05
        threshold = try table.number("threshold", in: 0...1e12)
        minEffect = try table.number("min_effect", in: 0...1)
        methods = try Self.methods(table, key: "method")
        let corrections: KeyValuePairs<String, MultipleTesting.Method> = [
            "none": .none, "bonferroni": .bonferroni, "holm": .holm, "bh": .benjaminiHochberg,
        ]
        correction = try table.choice("correction", corrections) ?? MultipleTesting.Method.none
        if let methods, threshold != nil, !methods.contains(where: { !$0.isTest }) {
            throw ConfigError(
                "'threshold' applies to distances (psi, jensen_shannon, wasserstein, zscore); ks and chi2 are decided by 'alpha'",
                at: table.position(of: "threshold"))
        }

        // `columns` is a list of names, or a table of per-column settings.
        columnSettings = [:]
        if let node = table["columns"] {
            switch node.value {
            case .array:
                columns = try table.stringArray("columns")
            case .table(let perColumn):
                // As [data.columns.X]: the declared columns are the ones compared.
                columns = perColumn.entries.map(\.key)
                for (column, entry) in perColumn.entries {
                    guard case .table(let settings) = entry.value else {
                        throw ConfigError(
                            "[drift.columns.\(column)] must be a table of settings (\(Self.columnKeys.joined(separator: ", "))), not \(entry.typeWithArticle)",
                            at: entry.position)
                    }
                    try settings.rejectUnknownKeys(allowed: Self.columnKeys)
                    let kind = try settings.choice("type", as: ColumnKind.self)
                    let methods = try Self.methods(settings, key: "method")
                    if let kind, let methods, let wrong = methods.first(where: { kind == .numeric ? !$0.acceptsNumeric : !$0.acceptsCategorical }) {
                        throw ConfigError("'\(wrong.rawValue)' does not apply to a \(kind.rawValue) column", at: settings.position(of: "method"))
                    }
                    columnSettings[column] = ColumnSettings(
                        methods: methods, kind: kind, threshold: try settings.number("threshold", in: 0...1e12),
                        minEffect: try settings.number("min_effect", in: 0...1),
                        position: entry.position)
                }
            default:
                throw ConfigError("'columns' must be an array of column names or a table of [drift.columns.NAME] settings", at: node.position)
            }
        } else {
            columns = nil
        }
        if let columns, Set(columns).count != columns.count {
            throw ConfigError("'columns' lists a column twice", at: table.position(of: "columns"))
        }
        // Every file the suite reads selects it under --changed.
        paths = declaration.paths + [referenceAsWritten, currentAsWritten].map(PathGlob.literal)
    }

    /// `method = "ks"` or `method = ["ks", "psi"]`.
    private static func methods(_ table: ConfigTable, key: String) throws(ConfigError) -> [DriftMethod]? {
        guard let node = table[key] else { return nil }
        var names: [(String, SourcePosition)] = []
        switch node.value {
        case .string(let name): names = [(name, node.position)]
        case .array(let elements):
            for element in elements {
                guard case .string(let name) = element.value else {
                    throw ConfigError("'\(key)' must hold method names (\(DriftMethod.names)), not \(element.typeWithArticle)", at: element.position)
                }
                names.append((name, element.position))
            }
        default:
            throw ConfigError(
                "'\(key)' must be a method name or an array of them (\(DriftMethod.names)), not \(node.typeWithArticle)", at: node.position)
        }
        var methods: [DriftMethod] = []
        for (name, position) in names {
            guard let method = DriftMethod(rawValue: name) else {
                throw ConfigError("unknown drift method '\(name)' (known: \(DriftMethod.names))", at: position)
            }
            if !methods.contains(method) { methods.append(method) }
        }
        guard !methods.isEmpty else { throw ConfigError("'\(key)' names no method", at: node.position) }
        return methods
    }

    /// The methods run on a column of `kind`: its own (checked against the kind), else the
    /// suite's that apply to the kind, else ks (numeric) or chi2 (categorical).
    func methods(for column: String, kind: ColumnKind) -> [DriftMethod] {
        if let own = columnSettings[column]?.methods { return own }
        let applicable = (methods ?? []).filter { kind == .numeric ? $0.acceptsNumeric : $0.acceptsCategorical }
        if !applicable.isEmpty { return applicable }
        return [kind == .numeric ? .ks : .chi2]
    }
}
