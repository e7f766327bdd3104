import Foundation
import MLRunCore
import MLRunData
import Synchronization

/// One column of a data file as drift reads it: its finite numbers, and its values' counts
/// while they are few enough to be categories.
///
/// A field is missing when it is absent (JSON Lines), equals one of `null_values` (default:
/// the empty field), or is a number that is not finite (`nan`, as pandas' `isna`); missing
/// fields are counted and left out of every statistic. A column is numeric when every other
/// field parses as a number (exactly, as `strtod`), categorical otherwise.
struct ColumnSample: Sendable {
    /// The finite numbers, in file order (meaningful while `hasText` is false).
    var numbers: [Double] = []
    /// The count of each distinct value as written, while `countsComplete`.
    var counts: [String: Int] = [:]
    /// Whether `counts` holds every present value (false once a numeric column has too many
    /// distinct values to be worth counting).
    var countsComplete = true
    /// Whether some present value is not a number.
    var hasText = false
    var missing = 0
    /// The rows of the file.
    var rows = 0

    /// Present (non-missing) values.
    var present: Int { rows - missing }

    /// Distinct values counted per column while the column still reads as numeric; past this
    /// it is taken as continuous and its counts are dropped.
    static let numericCountLimit = 1_000
    /// The most categories a text column may have.
    static let categoryLimit = 100_000
}

/// Reads the columns of one data file in one streaming pass (the tokenizer's threads parse
/// numbers and count values; batches are merged in file order).
struct ColumnReader {
    let path: URL
    let displayPath: String
    let delimiter: UInt8?
    let nullValues: [String]

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The file's column names: the CSV header, or the keys of the first JSON Lines row.
    func columnNames() throws(Problem) -> [String] {
        if isJSONLines {
            guard let handle = FileHandle(forReadingAtPath: path.path) else { throw Problem(description: "\(displayPath): cannot open it") }
            defer { try? handle.close() }
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")), let block = try? handle.read(upToCount: 1 << 16), !block.isEmpty { data += block }
            let first = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).first ?? Data()
            guard case .object(let members)? = try? JSONValue.parse(String(decoding: first, as: UTF8.self)) else {
                throw Problem(description: "\(displayPath): line 1: expected a JSON object")
            }
            return members.map(\.0)
        }
        do {
            return try CSVReader(path: path.path, displayPath: displayPath, options: csvOptions).header
        } catch {
            throw Problem(description: error.description)
        }
    }

    var isJSONLines: Bool { ["jsonl", "ndjson"].contains(path.pathExtension.lowercased()) }

    var csvOptions: CSVOptions {
        var options = CSVOptions(delimiter: delimiter ?? (path.pathExtension.lowercased() == "tsv" ? UInt8(ascii: "\t") : UInt8(ascii: ",")))
        options.parallel = true
        return options
    }

    /// Reads `columns` (which the file must have), one sample each.
    func read(_ columns: [String]) throws(Problem) -> [ColumnSample] {
        let nulls = nullValues.map { Array($0.utf8) }
        var merged = [ColumnSample](repeating: ColumnSample(), count: columns.count)
        var dictionaries = [[String: Int]](repeating: [:], count: columns.count)
        // Whether a column's counts were dropped for too many categories (rather than for too
        // many distinct numbers while it still looked numeric).
        var tooManyCategories = [Bool](repeating: false, count: columns.count)
        // Columns known to be continuous (too many distinct numbers to be categories): later
        // batches skip counting their values, which the merge would drop anyway.
        let continuous = Mutex([Bool](repeating: false, count: columns.count))
        let work: @Sendable (RecordBatch, [Int]) -> [Partial] = { batch, index in
            let skip = continuous.withLock { $0 }
            return (0..<columns.count).map { Partial(batch, column: index[$0], nulls: nulls, counting: !skip[$0]) }
        }
        // The file's size over the first batch's bytes per row estimates the rows, so each
        // column's numbers are allocated once instead of doubling (and copying) as they grow.
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int) ?? nil
        var reserved = false
        let consume: (RecordBatch, [Partial]) -> Void = { batch, parts in
            if !reserved, let fileSize, batch.rowCount > 1, let first = batch.offsets.first, let last = batch.offsets.last, last > first {
                reserved = true
                let bytesPerRow = Double(last - first) / Double(batch.rowCount - 1)
                let estimate = Int(Double(fileSize) / bytesPerRow * 1.02) + 1024
                if estimate < 1 << 31 {
                    for (c, part) in parts.enumerated() where !part.hasText { merged[c].numbers.reserveCapacity(estimate) }
                }
            }
            for (c, part) in parts.enumerated() {
                merged[c].rows += part.rows
                merged[c].missing += part.missing
                merged[c].hasText = merged[c].hasText || part.hasText
                merged[c].numbers += part.numbers
                if merged[c].countsComplete, part.countsComplete {
                    for value in 0..<part.counter.count {
                        dictionaries[c][part.counter.value(value), default: 0] += part.counter.counts[value]
                    }
                    if (!merged[c].hasText && dictionaries[c].count > ColumnSample.numericCountLimit)
                        || dictionaries[c].count > ColumnSample.categoryLimit
                    {
                        tooManyCategories[c] = dictionaries[c].count > ColumnSample.categoryLimit
                        merged[c].countsComplete = false
                        dictionaries[c] = [:]
                    }
                } else {
                    merged[c].countsComplete = false
                    dictionaries[c] = [:]
                }
                if !merged[c].countsComplete { continuous.withLock { $0[c] = true } }
            }
        }
        do {
            if isJSONLines {
                let reader = JSONLinesReader(path: path.path, displayPath: displayPath, columns: columns)
                let identity = Array(0..<columns.count)
                try reader.read(work: { work($0, identity) }, consume: consume)
                if let missing = columns.first(where: { !reader.keys.contains($0) }) {
                    throw Problem(description: "\(displayPath): no column '\(missing)' (its keys: \(reader.keys.joined(separator: ", ")))")
                }
            } else {
                let reader = try CSVReader(path: path.path, displayPath: displayPath, options: csvOptions)
                var index: [Int] = []
                for name in columns {
                    guard let at = reader.header.firstIndex(of: name) else {
                        throw Problem(description: "\(displayPath): no column '\(name)' (its columns: \(reader.header.joined(separator: ", ")))")
                    }
                    index.append(at)
                }
                let frozen = index
                try reader.read(work: { work($0, frozen) }, consume: consume)
            }
        } catch let error as DataError {
            throw Problem(description: error.description)
        } catch let error as Problem {
            throw error
        } catch {
            throw Problem(description: "\(displayPath): \(error)")
        }
        for c in merged.indices where merged[c].countsComplete {
            merged[c].counts = dictionaries[c]
        }
        for c in merged.indices where merged[c].hasText && !merged[c].countsComplete {
            if tooManyCategories[c] {
                throw Problem(
                    description:
                        "\(displayPath): column '\(columns[c])' has more than \(ColumnSample.categoryLimit) distinct text values; too many categories for drift"
                )
            }
            // Counting stopped while the column looked numeric, then text turned up.
            throw Problem(
                description:
                    "\(displayPath): column '\(columns[c])' holds text among more than \(ColumnSample.numericCountLimit) distinct numbers: it is neither numeric (only numbers and null_values) nor categorical; fix the text values or list them in null_values"
            )
        }
        return merged
    }

    /// One batch's part of one column.
    struct Partial: Sendable {
        var rows = 0
        var missing = 0
        var hasText = false
        var numbers: [Double] = []
        var counter = FieldCounter()
        var countsComplete = true

        /// - Parameter counting: whether to count the values (false once the column is known
        ///   to have too many to be categories).
        init(_ batch: RecordBatch, column: Int, nulls: [[UInt8]], counting: Bool) {
            // Locals in the loop (not stored properties), and the usual null_values = [""]
            // decided by a length test.
            let count = batch.rowCount
            let onlyEmptyIsNull = nulls.count == 1 && nulls[0].isEmpty
            var missing = 0, hasText = false, countsComplete = counting
            var counter = FieldCounter()
            var numbers = [Double]()
            numbers.reserveCapacity(count)
            for row in 0..<count {
                guard let bytes = batch.field(row: row, column: column),
                    onlyEmptyIsNull ? !bytes.isEmpty : !Self.isNull(bytes, nulls)
                else {
                    missing &+= 1
                    continue
                }
                if let value = NumberParsing.double(bytes) {
                    guard value.isFinite else {
                        missing &+= 1
                        continue
                    }
                    numbers.append(value)
                } else {
                    hasText = true
                }
                if countsComplete {
                    counter.add(bytes)
                    if !hasText && counter.count > ColumnSample.numericCountLimit {
                        countsComplete = false
                    }
                }
            }
            rows = count
            self.missing = missing
            self.hasText = hasText
            self.numbers = numbers
            self.countsComplete = countsComplete
            self.counter = countsComplete ? counter : FieldCounter()
        }

        static func isNull(_ bytes: UnsafeBufferPointer<UInt8>, _ nulls: [[UInt8]]) -> Bool {
            for null in nulls where null.count == bytes.count {
                if null.isEmpty { return true }
                let equal = null.withUnsafeBufferPointer { null in
                    guard let a = null.baseAddress, let b = bytes.baseAddress else { return false }
                    return memcmp(a, b, bytes.count) == 0
                }
                if equal { return true }
            }
            return false
        }
    }
}
