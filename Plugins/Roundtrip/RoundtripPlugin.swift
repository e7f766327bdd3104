import Foundation
import MLRunCore

/// The built-in `roundtrip` plugin: a model's files read strictly and checked without any
/// framework, compared with a reference checkpoint, and the real save/load round trip
/// through the model protocol (see the README's `[[roundtrip]]` section).
///
/// ```toml
/// [[roundtrip]]
/// name = "mlp"
/// artifact = "models/mlp.safetensors"
/// manifest = "models/mlp.manifest.json"
/// reference = "models/mlp-fp32.safetensors"
/// export_dtype = "F16"
/// model = ["python3", "serve_mlp.py", "--device", "{device}"]
/// inputs = "data/holdout.npy"
/// save_twice = true
/// ```
package struct RoundtripPlugin: SuitePlugin {
    package init() {}

    package var tableName: String { "roundtrip" }
    package var summary: String {
        "model files: strict safetensors/ONNX/npz reads, finite and dead-tensor checks, manifests, pickle scans, the save/load round trip"
    }

    package func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            suites.append(RoundtripSuite(spec: try RoundtripSpec(table: table, environment: environment), environment: environment))
        }
        return suites
    }
}
