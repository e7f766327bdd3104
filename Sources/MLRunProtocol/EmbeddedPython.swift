import Crypto
import Foundation

/// A Python file carried inside the binary (so a copied binary still has it) and handed to the
/// programs mlrun starts: written once into a folder named after the hash of its text under the
/// system's temporary folder, which goes first on their `PYTHONPATH`.
package struct EmbeddedPython: Sendable {
    package let fileName: String
    package let source: String

    package init(fileName: String, source: String) {
        self.fileName = fileName
        self.source = source
    }

    /// The folder holding the file, written if it is not there yet; `nil` when it cannot be
    /// written.
    package func folder() -> URL? {
        let digest = SHA256.hash(data: Data(source.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-python-\(digest)", isDirectory: true)
        let file = folder.appendingPathComponent(fileName)
        if (try? String(contentsOf: file, encoding: .utf8)) == source { return folder }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written under a unique name, then renamed: concurrent workers never see half a file.
            let partial = folder.appendingPathComponent(".\(fileName).\(UUID().uuidString)")
            try Data(source.utf8).write(to: partial)
            _ = try? FileManager.default.removeItem(at: file)
            try FileManager.default.moveItem(at: partial, to: file)
            return folder
        } catch {
            return (try? String(contentsOf: file, encoding: .utf8)) == source ? folder : nil
        }
    }

    /// The written file, or `nil` when it cannot be written.
    package func file() -> URL? { folder()?.appendingPathComponent(fileName) }

    /// `environment` with the file's folder put first on `PYTHONPATH`.
    package func environment(adding environment: [String: String]) -> [String: String] {
        guard let folder = folder() else { return environment }
        var result = environment
        let existing = environment["PYTHONPATH"] ?? ProcessInfo.processInfo.environment["PYTHONPATH"]
        result["PYTHONPATH"] = [folder.path, existing].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
        return result
    }
}
