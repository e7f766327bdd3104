import Foundation

/// The Python helper `mlrun_model.py` that turns three functions (`predict`, `save`, `load`)
/// into a model-protocol program: carried inside the binary (``source``, generated from
/// `python/mlrun_model.py`) and put on every model program's `PYTHONPATH`.
package enum ModelHelper {
    package static let file = EmbeddedPython(fileName: "mlrun_model.py", source: source)

    /// The folder holding `mlrun_model.py`, written if it is not there yet; `nil` when it
    /// cannot be written (the program then runs without the helper on its path).
    package static func folder() -> URL? { file.folder() }

    /// `environment` with the helper's folder put first on `PYTHONPATH`.
    package static func environment(adding environment: [String: String]) -> [String: String] {
        file.environment(adding: environment)
    }
}
