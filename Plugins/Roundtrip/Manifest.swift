import Foundation
import MLRunCore
import MLRunTensors

/// The committed description of an artifact: each tensor's name, dtype, shape and SHA-256.
///
/// The file is JSON, one tensor per line so that a change reads well in a diff:
/// ```json
/// {"format": "safetensors", "tensors": [
///   {"name": "fc1.weight", "dtype": "F32", "shape": [16, 8], "sha256": "9f86d0…"}
/// ]}
/// ```
/// `mlrun --update-baselines` writes it from the artifact.
struct Manifest: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var name: String
        var dtype: String
        var shape: [Int]
        var sha256: String
    }

    var format: String
    var entries: [Entry]

    init(format: String, entries: [Entry]) {
        self.format = format
        self.entries = entries
    }

    init(_ analysis: ArtifactAnalysis) {
        format = analysis.file.format.rawValue
        entries = zip(analysis.file.tensors, analysis.summaries).map {
            Entry(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, sha256: $1.sha256)
        }
    }

    /// The manifest at `file`, `nil` when there is none, or a message naming what is wrong.
    static func read(_ file: RoundtripSpec.File) throws(ManifestError) -> Manifest? {
        guard FileManager.default.fileExists(atPath: file.url.path) else { return nil }
        let text: String
        do {
            text = try String(contentsOf: file.url, encoding: .utf8)
        } catch {
            throw ManifestError("\(file.written): cannot read: \(error.localizedDescription)")
        }
        func bad(_ what: String) -> ManifestError { ManifestError("\(file.written): not a tensor manifest: \(what)") }
        guard case .object(let top)? = try? JSONValue.parse(text) else { throw bad("expected a JSON object") }
        guard case .string(let format)? = top.first(where: { $0.0 == "format" })?.1 else { throw bad("no \"format\" string") }
        guard case .array(let items)? = top.first(where: { $0.0 == "tensors" })?.1 else { throw bad("no \"tensors\" array") }
        var entries: [Entry] = []
        for (position, item) in items.enumerated() {
            guard case .object(let fields) = item,
                case .string(let name)? = fields.first(where: { $0.0 == "name" })?.1,
                case .string(let dtype)? = fields.first(where: { $0.0 == "dtype" })?.1,
                case .array(let shapeValues)? = fields.first(where: { $0.0 == "shape" })?.1,
                case .string(let sha256)? = fields.first(where: { $0.0 == "sha256" })?.1
            else { throw bad("tensor \(position + 1) needs \"name\", \"dtype\", \"shape\" and \"sha256\"") }
            var shape: [Int] = []
            for value in shapeValues {
                guard case .int(let axis) = value, axis >= 0 else { throw bad("tensor '\(name)' has a shape that is not a list of sizes") }
                shape.append(axis)
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, sha256: sha256))
        }
        return Manifest(format: format, entries: entries)
    }

    /// The manifest as its file holds it.
    var text: String {
        let lines = entries.map { entry in
            let fields: [(String, JSONValue)] = [
                ("name", .string(entry.name)), ("dtype", .string(entry.dtype)), ("shape", .array(entry.shape.map { .int($0) })),
                ("sha256", .string(entry.sha256)),
            ]
            return "  " + JSONValue.object(fields).jsonText
        }
        return "{\"format\": \(JSONValue.string(format).jsonText), \"tensors\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
    }

    /// How `actual` differs from this manifest, one line per difference (empty when equal).
    func differences(from actual: Manifest) -> [String] {
        var lines: [String] = []
        if format != actual.format { lines.append("the format is \(actual.format), the manifest says \(format)") }
        let recorded = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let found = Dictionary(actual.entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in entries where found[entry.name] == nil { lines.append("'\(entry.name)' is missing") }
        for entry in actual.entries {
            guard let expected = recorded[entry.name] else {
                lines.append("'\(entry.name)' is not in the manifest")
                continue
            }
            if expected.dtype != entry.dtype { lines.append("'\(entry.name)' is \(entry.dtype), the manifest says \(expected.dtype)") }
            if expected.shape != entry.shape { lines.append("'\(entry.name)' has shape \(entry.shape), the manifest says \(expected.shape)") }
            if expected.dtype == entry.dtype, expected.shape == entry.shape, expected.sha256 != entry.sha256 {
                lines.append("'\(entry.name)' changed: SHA-256 \(entry.sha256.prefix(12))…, the manifest says \(expected.sha256.prefix(12))…")
            }
        }
        return lines
    }
}

/// A manifest file that cannot be read.
struct ManifestError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
