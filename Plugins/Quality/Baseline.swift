import Crypto
import Foundation
import MLRunCore
import MLRunGit

/// A baseline file: the reference value of each metric, as a flat JSON object.
///
/// ```json
/// {"accuracy": 0.87, "f1": 0.81,
///  "_meta": {"updated_at": "2026-12-05T02:00:00Z", "predictions": "predictions.csv",
///            "predictions_sha256": "…", "rows": 2000, "commit": "…"}}
/// ```
///
/// Every key but `_meta` names a metric and holds a number, so a hand-written
/// `{"accuracy": 0.87}` is a complete baseline. `mlrun --update-baselines` rewrites the file
/// with this run's values and the metadata; keys it does not gate on are kept as they were.
struct Baseline: Sendable, Equatable {
    /// Metric name → reference value, in file order.
    var values: [(String, Double)]
    /// The `_meta` object, if any.
    var meta: JSONValue?

    static func == (a: Baseline, b: Baseline) -> Bool {
        a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 } && a.meta == b.meta
    }

    /// The reference value of `metric`, if the file holds one.
    subscript(metric: String) -> Double? {
        values.first(where: { $0.0 == metric })?.1
    }

    /// A problem with a baseline file, naming it (and the line and column of bad JSON).
    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Reads the file at `url`; nil when there is none.
    static func read(_ url: URL, displayPath: String) throws(Problem) -> Baseline? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Problem(description: "baseline \(displayPath): cannot read it: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(description: "baseline \(displayPath): not UTF-8 text")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            let (line, column) = lineAndColumn(ofByte: error.column, in: data)
            throw Problem(description: "baseline \(displayPath): line \(line), column \(column): \(error.message)")
        }
        guard case .object(let members) = json else {
            throw Problem(
                description:
                    "baseline \(displayPath): expected a JSON object of metric names to numbers, e.g. {\"accuracy\": 0.87}; got \(json.typeWithArticle)"
            )
        }
        var baseline = Baseline(values: [], meta: nil)
        for (key, value) in members {
            if key == "_meta" {
                baseline.meta = value
                continue
            }
            guard let number = value.numberValue, number.isFinite else {
                throw Problem(
                    description: "baseline \(displayPath): '\(key)' must be a number (a metric's reference value), not \(value.typeWithArticle)")
            }
            baseline.values.append((key, number))
        }
        return baseline
    }

    /// The 1-based line and column of the 1-based byte `offset` of `data`.
    static func lineAndColumn(ofByte offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, byte) in data.enumerated() where index < offset - 1 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// This baseline with `current` values replacing or adding theirs, in the old order
    /// followed by new metrics in `current`'s order, and `meta` as its metadata.
    func updated(with current: [(String, Double)], meta: JSONValue) -> Baseline {
        var merged = values
        for (metric, value) in current {
            if let index = merged.firstIndex(where: { $0.0 == metric }) {
                merged[index].1 = value
            } else {
                merged.append((metric, value))
            }
        }
        return Baseline(values: merged, meta: meta)
    }

    /// The file's JSON: the metrics, then `_meta`.
    var json: JSONValue {
        var members = values.map { ($0.0, JSONValue.double($0.1)) }
        if let meta { members.append(("_meta", meta)) }
        return .object(members)
    }

    /// Writes the file atomically (a reader never sees half of it).
    func write(to url: URL, displayPath: String) throws(Problem) {
        do {
            try AtomicFile.write(json.prettyJSONText + "\n", to: url)
        } catch {
            throw Problem(description: "baseline \(displayPath): \(error)")
        }
    }

    /// What `--update-baselines` records beside the values: when, from which predictions file
    /// (its SHA-256 and row count) and at which commit, if the config is in a git repository.
    static func metadata(predictions: URL, predictionsAsWritten: String, rows: Int, configDirectory: URL, now: Date = Date()) -> JSONValue {
        var members: [(String, JSONValue)] = []
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        members.append(("updated_at", .string(formatter.string(from: now))))
        members.append(("predictions", .string(predictionsAsWritten)))
        if let digest = sha256(of: predictions) { members.append(("predictions_sha256", .string(digest))) }
        members.append(("rows", .int(rows)))
        if let repository = try? GitRepository.open(containing: configDirectory), let commit = try? repository.resolve("HEAD") {
            members.append(("commit", .string(commit)))
        }
        members.append(("written_by", .string("mlrun --update-baselines")))
        return .object(members)
    }

    /// The SHA-256 of a file's bytes as lowercase hex, read in 1 MiB blocks; nil when unreadable.
    static func sha256(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // nil or empty: the end of the file.
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                hasher.update(data: block)
            }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
