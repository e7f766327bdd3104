import Foundation

/// A problem reading or writing one of the files mlrun keeps between runs in `.mlrun/`
/// (`durations.json`, `lastfailed.json`), naming the file.
package struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's path.
    package var file: String
    /// What is wrong with it, e.g. `not valid JSON: unexpected end of input at column 12`.
    package var problem: String

    /// An error about `file`.
    package init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    /// `<file>: <problem>`.
    package var description: String { "\(file): \(problem)" }
}

/// Reading and writing the versioned JSON files under `<config folder>/.mlrun/`.
enum StoreFile {
    /// The folder, inside the config file's folder, that holds mlrun's state between runs.
    static let folderName = ".mlrun"

    /// `<folder>/.mlrun/<name>`.
    static func url(_ name: String, in folder: URL) -> URL {
        folder.appendingPathComponent(folderName, isDirectory: true).appendingPathComponent(name)
    }

    /// The file's top-level object after checking `"version": 1`; nil when there is no file.
    static func read(_ url: URL) throws(StoreError) -> JSONValue? {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return nil }
            throw StoreError(file: url.path, problem: "cannot read it: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError(file: url.path, problem: "not UTF-8 text")
        }
        let json: JSONValue
        do throws(JSONParseError) {
            json = try JSONValue.parse(text)
        } catch {
            throw StoreError(file: url.path, problem: "not valid JSON: \(error)")
        }
        guard case .object = json else {
            throw StoreError(file: url.path, problem: "expected a JSON object, found \(json.typeName)")
        }
        guard json["version"] == .int(1) else {
            let found = json["version"].map { $0.jsonText } ?? "none"
            throw StoreError(
                file: url.path, problem: "unsupported \"version\" \(found); this mlrun reads version 1 (delete the file to start afresh)")
        }
        return json
    }

    /// Writes `value` as indented JSON, atomically (see ``AtomicFile``).
    static func write(_ value: JSONValue, to url: URL) throws(StoreError) {
        try AtomicFile.write(value.prettyJSONText + "\n", to: url)
    }

    /// Sorts by UTF-8 bytes, the order test ids sort in everywhere else, independent of locale.
    static func sortedByBytes(_ strings: some Sequence<String>) -> [String] {
        strings.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// Writing a whole file so that no reader ever sees half of it.
package enum AtomicFile {
    /// Writes `text` to a temporary file in the same folder (created if missing), then renames
    /// it over `url`, so a reader — another shard or worker on the same machine, say — sees
    /// the old file or the new one, never a mix.
    package static func write(_ text: String, to url: URL) throws(StoreError) {
        let folder = url.deletingLastPathComponent()
        // Unique per process and call, so concurrent writers never share a temporary file.
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError(file: url.path, problem: "cannot write it: \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError(file: url.path, problem: "cannot write it: \(reason)")
        }
    }
}
