import Foundation
import MLRunCore

/// The built-in `drift` plugin: compares a reference data set (a file, or a snapshot written
/// by `mlrun snapshot`) with a current one, one test per column and method, with SciPy's
/// statistics, effect-size floors and multiple-testing corrections (see the README's
/// `[[drift]]` section).
///
/// ```toml
/// [[drift]]
/// name = "serving"
/// reference = "snapshots/train.json"
/// current = "data/serving.csv"
/// correction = "holm"
/// min_effect = 0.1
/// [drift.columns.plan]
/// method = ["chi2", "psi"]
/// ```
package struct DriftPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "drift" }
    package var summary: String {
        "data drift: KS, chi-square, PSI, Jensen–Shannon, Wasserstein, z-score per column (SciPy-exact), corrections, snapshots"
    }

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            suites.append(DriftSuite(spec: try DriftSpec(table: table, environment: environment)))
        }
        return suites
    }
}
