import Foundation

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `.mlrun/<name>`.
    func writeState(_ name: String, _ text: String) throws {
        let folder = url.appendingPathComponent(".mlrun", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// The text of `.mlrun/<name>`.
    func readState(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(".mlrun").appendingPathComponent(name), encoding: .utf8)
    }

    /// Everything in `.mlrun/`, to check no temporary file is left behind.
    func stateFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(".mlrun").path).sorted()
    }
}
