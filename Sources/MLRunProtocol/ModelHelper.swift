import Crypto
import Foundation

/// The Python helper `mlrun_model.py` that turns three functions (`predict`, `save`, `load`)
/// into a model-protocol program, and how mlrun hands it to the model programs it starts.
///
/// The helper is carried inside the binary (``source``, generated from `python/mlrun_model.py`)
/// and written once into a folder named after its hash under the system's temporary folder;
/// every model program gets that folder first on `PYTHONPATH`.
package enum ModelHelper {
    /// The folder holding `mlrun_model.py`, written if it is not there yet; `nil` when it
    /// cannot be written (the program then runs without the helper on its path).
    package static func folder() -> URL? {
        let digest = SHA256.hash(data: Data(source.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-python-\(digest)", isDirectory: true)
        let file = folder.appendingPathComponent("mlrun_model.py")
        if (try? String(contentsOf: file, encoding: .utf8)) == source { return folder }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written under a unique name, then renamed: concurrent workers never see half a file.
            let partial = folder.appendingPathComponent(".mlrun_model.py.\(UUID().uuidString)")
            try Data(source.utf8).write(to: partial)
            _ = try? FileManager.default.removeItem(at: file)
            try FileManager.default.moveItem(at: partial, to: file)
            return folder
        } catch {
            return (try? String(contentsOf: file, encoding: .utf8)) == source ? folder : nil
        }
    }

    /// `environment` with the helper's folder put first on `PYTHONPATH`.
    package static func environment(adding environment: [String: String]) -> [String: String] {
        guard let folder = folder() else { return environment }
        var result = environment
        let existing = environment["PYTHONPATH"] ?? ProcessInfo.processInfo.environment["PYTHONPATH"]
        result["PYTHONPATH"] = [folder.path, existing].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
        return result
    }
}
