import Foundation
import MLRunCore

/// The built-in `data` plugin: declarative validation of a data file, one test per
/// expectation, all checked in one streaming pass (see the README's `[[data]]` section).
///
/// ```toml
/// [[data]]
/// name = "train"
/// file = "data/train.csv"
/// key = ["user_id"]
/// [data.columns.feature_a]
/// type = "float"
/// min = 0.0
/// max = 1.0
/// nullable = false
/// [data.table]
/// unique = [["user_id", "timestamp"]]
/// leakage = { key = "user_id", split = "split" }
/// ```
package struct DataPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "data" }
    package var summary: String { "data validation: types, nulls, ranges, sets, order, uniqueness, leakage, label balance (CSV, JSON Lines)" }

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            let spec = try DataSpec(table: table, environment: environment)
            // Two tests with one id would make the report ambiguous.
            var seen = Set<String>()
            for test in Validation(spec: spec).planned where !seen.insert(test.name).inserted {
                throw ConfigError("\(table.displayName) defines the test '\(spec.name)::\(test.name)' twice", at: table.position)
            }
            suites.append(DataSuite(spec: spec))
        }
        return suites
    }
}
