import Crypto
import Foundation
import MLRunCore
import MLRunStats

/// A reference data set kept as a small JSON file (`mlrun snapshot DATA -o ref.json`), so
/// drift can run against training data that is not kept around.
///
/// Per column: numeric columns keep a seeded sample of their values (up to `sample_size`,
/// default 100,000; all of them when they fit, in file order), their exact mean, population
/// standard deviation, decile edges and the count in each decile bin, and their exact value
/// counts while there are at most 1,000 distinct values; categorical columns keep their exact
/// value counts. So KS and Wasserstein read the sample (exact when the column fits in it), and
/// PSI, Jensen–Shannon, the z-score and chi-square read the exact summaries: drift against a
/// snapshot equals drift against the full file whenever the file fits in the sample.
///
/// ```json
/// {"schema": "mlrun-snapshot/1", "source": "train.csv", "source_sha256": "…", "rows": 3000,
///  "created_at": "…", "seed": 0, "sample_size": 100000,
///  "columns": [{"name": "tenure", "type": "numeric", "count": 3000, "missing": 0, "mean": 36.4,
///               "std": 20.7, "edges": […], "bin_counts": […], "sample": […]},
///              {"name": "plan", "type": "categorical", "count": 3000, "missing": 0,
///               "counts": {"basic": 1012, …}}]}
/// ```
package struct ReferenceSnapshot: Sendable {
    /// The schema name written into and required of every snapshot file.
    package static let schema = "mlrun-snapshot/1"
    /// The default number of sampled values per numeric column.
    package static let defaultSampleSize = 100_000

    /// One column's reference.
    enum Column: Sendable {
        /// The values (all, or a sample), the exact summary (nil: computed from the values,
        /// which are then all of them), and the exact value counts if few enough.
        case numeric(values: [Double], summary: NumericSummary?, counts: [String: Int]?, missing: Int)
        case categorical(counts: [String: Int], missing: Int)
    }

    var columns: [(name: String, column: Column)]

    /// A problem with a snapshot file or while writing one.
    package struct Problem: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    // MARK: writing

    /// Reads `data` (CSV, TSV or JSON Lines) in one pass and writes its snapshot to `output`.
    ///
    /// - Parameters:
    ///   - columns: the columns to keep; nil: all of them.
    ///   - sampleSize: the most values kept per numeric column.
    ///   - seed: seeds the sample (the same seed and file give the same snapshot).
    /// - Returns: A one-line summary for the console.
    package static func write(
        data: URL, displayPath: String, to output: URL, columns: [String]?, sampleSize: Int, seed: UInt64,
        delimiter: UInt8?, nullValues: [String]
    ) throws(Problem) -> String {
        let reader = ColumnReader(path: data, displayPath: displayPath, delimiter: delimiter, nullValues: nullValues)
        var names: [String]
        if let columns {
            names = columns
        } else {
            do {
                names = try reader.columnNames()
            } catch {
                throw Problem(description: error.description)
            }
        }
        let samples: [ColumnSample]
        do {
            samples = try reader.read(names)
        } catch {
            throw Problem(description: error.description)
        }
        var entries: [JSONValue] = []
        var numeric = 0
        for (name, sample) in zip(names, samples) {
            var members: [(String, JSONValue)] = [("name", .string(name))]
            if !sample.hasText && !sample.numbers.isEmpty {
                numeric += 1
                guard case .value(let summary) = (try? NumericSummary.of(sample.numbers)) ?? .undefined("") else {
                    throw Problem(description: "\(displayPath): column '\(name)' has no finite values to summarise")
                }
                members += [
                    ("type", .string("numeric")), ("count", .int(sample.present)), ("missing", .int(sample.missing)),
                    ("mean", .double(summary.mean)), ("std", .double(summary.standardDeviation)),
                    ("edges", .array(summary.edges.map(JSONValue.double))),
                    ("bin_counts", .array(summary.binCounts.map(JSONValue.int))),
                ]
                if sample.countsComplete { members.append(("counts", countsJSON(sample.counts))) }
                members.append(
                    ("sample", .array(Self.sample(sample.numbers, size: sampleSize, seed: seed &+ Seeds.fnv1a64(name)).map(JSONValue.double))))
            } else {
                members += [
                    ("type", .string("categorical")), ("count", .int(sample.present)), ("missing", .int(sample.missing)),
                    ("counts", countsJSON(sample.counts)),
                ]
            }
            entries.append(.object(members))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let document: JSONValue = .object([
            ("schema", .string(schema)), ("source", .string(displayPath)),
            ("source_sha256", sha256(data).map(JSONValue.string) ?? .null),
            ("rows", .int(samples.first?.rows ?? 0)), ("created_at", .string(formatter.string(from: Date()))),
            ("seed", .string(String(seed))), ("sample_size", .int(sampleSize)), ("columns", .array(entries)),
        ])
        do {
            try AtomicFile.write(document.jsonText + "\n", to: output)
        } catch {
            throw Problem(description: "\(error)")
        }
        return
            "\(output.lastPathComponent): \(names.count) columns (\(numeric) numeric, \(names.count - numeric) categorical) of \(samples.first?.rows ?? 0) rows"
    }

    private static func countsJSON(_ counts: [String: Int]) -> JSONValue {
        .object(counts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, JSONValue.int($0.value)) })
    }

    /// `size` of `values` chosen without replacement (a partial Fisher–Yates shuffle of the
    /// indices driven by splitmix64 from `seed`), kept in file order; all of them when they fit.
    static func sample(_ values: [Double], size: Int, seed: UInt64) -> [Double] {
        guard values.count > size else { return values }
        var indices = Array(0..<values.count)
        var state = seed
        for i in 0..<size {
            state = Seeds.splitmix64(state)
            let j = i + Int(state % UInt64(values.count - i))
            indices.swapAt(i, j)
        }
        return indices[0..<size].sorted().map { values[$0] }
    }

    static func sha256(_ url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    // MARK: reading

    /// Reads a snapshot file.
    static func read(_ url: URL, displayPath: String) throws(Problem) -> ReferenceSnapshot {
        func fail(_ message: String) -> Problem { Problem(description: "snapshot \(displayPath): \(message)") }
        guard let data = try? Data(contentsOf: url) else { throw fail("cannot read it") }
        let json: JSONValue
        do {
            json = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw fail("not JSON: \(error.message) at byte \(error.column)")
        }
        guard json["schema"]?.stringValue == schema else {
            throw fail("not an mlrun snapshot (expected \"schema\": \"\(schema)\"; write one with: mlrun snapshot DATA -o \(displayPath))")
        }
        guard case .array(let entries)? = json["columns"] else { throw fail("'columns' must be an array") }
        var columns: [(String, Column)] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue else { throw fail("a column without a 'name'") }
            func int(_ key: String) throws(Problem) -> Int {
                guard case .int(let value)? = entry[key], value >= 0 else { throw fail("column '\(name)': '\(key)' must be a non-negative integer") }
                return value
            }
            func number(_ key: String) throws(Problem) -> Double {
                guard let value = entry[key]?.numberValue else { throw fail("column '\(name)': '\(key)' must be a number") }
                return value
            }
            func counts(_ key: String) throws(Problem) -> [String: Int]? {
                guard let node = entry[key] else { return nil }
                guard case .object(let members) = node else { throw fail("column '\(name)': '\(key)' must be an object of value counts") }
                var out: [String: Int] = [:]
                for (value, count) in members {
                    guard case .int(let n) = count, n >= 0 else {
                        throw fail("column '\(name)': the count of '\(value)' must be a non-negative integer")
                    }
                    out[value] = n
                }
                return out
            }
            func numbers(_ key: String) throws(Problem) -> [Double] {
                guard case .array(let items)? = entry[key] else { throw fail("column '\(name)': '\(key)' must be an array of numbers") }
                var out: [Double] = []
                out.reserveCapacity(items.count)
                for item in items {
                    guard let value = item.numberValue, value.isFinite else {
                        throw fail("column '\(name)': '\(key)' holds a value that is not a finite number")
                    }
                    out.append(value)
                }
                return out
            }
            func integers(_ key: String) throws(Problem) -> [Int] {
                guard case .array(let items)? = entry[key] else { throw fail("column '\(name)': '\(key)' must be an array of integers") }
                var out: [Int] = []
                for item in items {
                    guard case .int(let value) = item, value >= 0 else {
                        throw fail("column '\(name)': '\(key)' holds a value that is not a non-negative integer")
                    }
                    out.append(value)
                }
                return out
            }
            switch entry["type"]?.stringValue {
            case "numeric":
                let summary = NumericSummary.stored(
                    count: try int("count"), mean: try number("mean"), standardDeviation: try number("std"),
                    edges: try numbers("edges"), binCounts: try integers("bin_counts"))
                guard let summary = summary.value else { throw fail("column '\(name)': \(summary.undefinedReason ?? "")") }
                let sample = try numbers("sample")
                guard !sample.isEmpty else { throw fail("column '\(name)': an empty sample") }
                columns.append((name, .numeric(values: sample, summary: summary, counts: try counts("counts"), missing: try int("missing"))))
            case "categorical":
                guard let counts = try counts("counts") else { throw fail("column '\(name)': no 'counts'") }
                columns.append((name, .categorical(counts: counts, missing: try int("missing"))))
            default:
                throw fail("column '\(name)': 'type' must be \"numeric\" or \"categorical\"")
            }
        }
        return ReferenceSnapshot(columns: columns)
    }
}
