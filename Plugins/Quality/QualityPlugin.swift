import Foundation
import MLRunCore
import MLRunMetrics

/// The built-in `quality` plugin: model-quality gates on a predictions file, one test per
/// gate, per gate and segment value, per baseline comparison and per paired significance
/// test (see the README's `[[quality]]` section).
///
/// ```toml
/// [[quality]]
/// name = "churn"
/// predictions = "predictions.csv"
/// label = "churned"
/// score = "p_churn"
/// segments = ["device"]
/// sensitive = "group"
/// baseline = "baselines/churn.json"
/// tolerance = 0.01
/// [quality.gates]
/// accuracy = { min = 0.85 }
/// roc_auc = { min = 0.90 }
/// log_loss = { max = 0.4 }
/// ```
package struct QualityPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "quality" }
    package var summary: String { "model-quality gates: sklearn-exact metrics, segments, fairness, baselines, bootstrap intervals, paired tests" }

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        let known = Set(MetricName.allCases.map(\.rawValue))
        var suites: [any Suite] = []
        for table in tables {
            let spec = try QualitySpec(table: table, environment: environment, knownMetrics: known)
            suites.append(QualitySuite(spec: spec, environment: environment))
        }
        return suites
    }
}
