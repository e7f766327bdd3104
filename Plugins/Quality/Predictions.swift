import Foundation
import MLRunData

/// A predictions file read into arrays: the true class (or value), the scores, the predicted
/// class (or value), and each segment or sensitive column as codes of its distinct values.
///
/// - Binary (`score`, or `prediction` alone): `truth` is 1 where the label equals `positive`,
///   else 0; the prediction is the `prediction` column compared with `positive`, or
///   score ≥ `threshold`. The label column may hold at most two distinct values.
/// - Multiclass (`scores`, or `classes` with more than two entries): class i is `classes[i]`
///   (by default the text "i"), whose probability is the `scores[i]` column; the prediction is
///   the `prediction` column, or the argmax of the scores (the first on ties, as numpy's).
/// - Regression: `label` and `prediction` are numbers.
///
/// The file is read once, in parallel blocks: numbers are parsed and text columns are
/// dictionary-encoded on the tokenizer's threads, without a `String` per row.
struct Predictions: Sendable {
    struct Group: Sendable {
        var codes: [Int32]
        var values: [String]
    }

    var rows = 0
    var classCount = 2
    var truth: [Int] = []
    /// Binary: the positive-class probability; multiclass: row-major, `classCount` per row.
    var scores: [Double] = []
    var hasScores = false
    var predicted: [Int] = []
    /// Regression: the true and predicted values.
    var truthValues: [Double] = []
    var predictedValues: [Double] = []
    /// Per grouping column (segments and the sensitive attribute).
    var groups: [String: Group] = [:]
    /// The 1-based line each row starts on (to name rows in messages).
    var lines = RowLines()

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The rows of one group value, as a new set of predictions.
    func subset(_ rowsToKeep: [Int]) -> Predictions {
        var part = Predictions()
        part.rows = rowsToKeep.count
        part.classCount = classCount
        part.hasScores = hasScores
        if !truth.isEmpty { part.truth = rowsToKeep.map { truth[$0] } }
        if !predicted.isEmpty { part.predicted = rowsToKeep.map { predicted[$0] } }
        if !truthValues.isEmpty { part.truthValues = rowsToKeep.map { truthValues[$0] } }
        if !predictedValues.isEmpty { part.predictedValues = rowsToKeep.map { predictedValues[$0] } }
        if hasScores {
            let width = scores.count / max(rows, 1)
            part.scores.reserveCapacity(rowsToKeep.count * width)
            if width == 1 {
                part.scores = rowsToKeep.map { scores[$0] }
            } else {
                for row in rowsToKeep { part.scores.append(contentsOf: scores[(row * width)..<(row * width + width)]) }
            }
        }
        for (name, group) in groups {
            part.groups[name] = Group(codes: rowsToKeep.map { group.codes[$0] }, values: group.values)
        }
        return part
    }

    /// For each value of a grouping column, the rows that have it (in row order).
    func rowsByValue(of column: String) -> [[Int]] {
        guard let group = groups[column] else { return [] }
        var buckets = [[Int]](repeating: [], count: group.values.count)
        for (row, code) in group.codes.enumerated() { buckets[Int(code)].append(row) }
        return buckets
    }
}

// MARK: reading

extension Predictions {
    /// Reads `file` as `spec` describes it. Throws a `Problem` naming the file, and the line
    /// for a bad value.
    static func read(_ spec: QualitySpec, file: URL, displayPath: String) throws -> Predictions {
        FreedMemory.keepInHeap()
        let layout = Layout(spec)
        var chunks = Chunks(layout: layout)
        let path = file.path
        switch file.pathExtension.lowercased() {
        case "jsonl", "ndjson":
            let reader = JSONLinesReader(path: path, displayPath: displayPath, columns: layout.columnNames)
            let identity = Array(0..<layout.columnNames.count)
            try reader.read(
                work: { batch in Chunk(batch, layout: layout, index: identity) },
                consume: { _, chunk in chunks.append(chunk) })
            for name in layout.columnNames where !reader.keys.contains(name) {
                throw Problem(description: "\(displayPath): no column '\(name)' (its keys: \(reader.keys.joined(separator: ", ")))")
            }
        default:
            var options = CSVOptions(delimiter: spec.delimiter)
            options.parallel = true
            let reader = try CSVReader(path: path, displayPath: displayPath, options: options)
            var index: [Int] = []
            for name in layout.columnNames {
                guard let at = reader.header.firstIndex(of: name) else {
                    throw Problem(description: "\(displayPath): no column '\(name)' (its columns: \(reader.header.joined(separator: ", ")))")
                }
                index.append(at)
            }
            let frozen = index
            try reader.read(
                work: { batch in Chunk(batch, layout: layout, index: frozen) },
                consume: { _, chunk in chunks.append(chunk) })
        }
        return try chunks.finish(spec: spec, displayPath: displayPath)
    }

    /// Which file column feeds what, in the order `columnNames` lists them.
    struct Layout: Sendable {
        var kind: QualitySpec.Kind
        var columnNames: [String]
        var scoreColumns: Range<Int>
        var predictionColumn: Int?
        /// Text columns that are dictionary-encoded: the label (unless regression), the
        /// prediction (classification), then the grouping columns.
        var encoded: [Int]
        var groupNames: [String]

        init(_ spec: QualitySpec) {
            kind = spec.kind
            groupNames = Array(Set(spec.segments + (spec.sensitive.map { [$0] } ?? []))).sorted()
            columnNames = [spec.label]
            let scoreNames = spec.score.map { [$0] } ?? spec.scores
            scoreColumns = 1..<(1 + scoreNames.count)
            columnNames += scoreNames
            if let prediction = spec.prediction {
                predictionColumn = columnNames.count
                columnNames.append(prediction)
            }
            encoded = []
            if kind != .regression {
                encoded.append(0)
                if let predictionColumn { encoded.append(predictionColumn) }
            }
            for name in groupNames {
                encoded.append(columnNames.count)
                columnNames.append(name)
            }
        }
    }

    /// What one batch holds, parsed on the tokenizer's thread.
    struct Chunk: Sendable {
        var rows = 0
        var numbers: [Double] = []  // row-major: the score columns, then (regression) label and prediction
        var codes: [[Int32]]  // per encoded column
        var dictionaries: [ByteDictionary]  // per encoded column
        var lines: [Int64] = []
        var failure: (line: Int64, message: String)?

        /// Parses the batch column by column (each column's loop runs over plain buffers); a
        /// bad value cuts the chunk at the first bad row of any column.
        init(_ batch: RecordBatch, layout: Layout, index: [Int]) {
            let count = batch.rowCount
            lines = batch.lines
            var firstBad: (row: Int, message: String)?
            func bad(_ row: Int, _ message: @autoclosure () -> String) {
                if row < firstBad?.row ?? Int.max { firstBad = (row, message()) }
            }
            // Numbers, row-major: the score columns, then (regression) label and prediction.
            let numericColumns = Array(layout.scoreColumns) + (layout.kind == .regression ? [0] + (layout.predictionColumn.map { [$0] } ?? []) : [])
            let width = numericColumns.count
            numbers = [Double](repeating: 0, count: count * width)
            numbers.withUnsafeMutableBufferPointer { out in
                for (k, column) in numericColumns.enumerated() {
                    let field = index[column]
                    for row in 0..<count {
                        guard let bytes = batch.field(row: row, column: field), let value = NumberParsing.double(bytes), value.isFinite else {
                            let text = batch.isAbsent(row: row, column: field) ? "null" : "'\(batch.string(row: row, column: field))'"
                            bad(row, "'\(layout.columnNames[column])' is not a finite number: \(text)")
                            break
                        }
                        out[row &* width &+ k] = value
                    }
                }
            }
            // Text columns as codes of a per-chunk dictionary.
            codes = []
            dictionaries = []
            for column in layout.encoded {
                let field = index[column]
                var dictionary = ByteDictionary()
                var columnCodes = [Int32](repeating: 0, count: count)
                columnCodes.withUnsafeMutableBufferPointer { out in
                    for row in 0..<count {
                        guard let bytes = batch.field(row: row, column: field) else {
                            bad(row, "'\(layout.columnNames[column])' is missing (null)")
                            break
                        }
                        out[row] = dictionary.code(bytes)
                    }
                }
                codes.append(columnCodes)
                dictionaries.append(dictionary)
            }
            rows = count
            if let firstBad {
                failure = (batch.lines[firstBad.row], firstBad.message)
                rows = firstBad.row
                numbers.removeSubrange((firstBad.row * width)...)
                for e in codes.indices { codes[e].removeSubrange(firstBad.row...) }
            }
        }
    }

    /// The chunks in file order, merged into one set of predictions at the end.
    struct Chunks {
        let layout: Layout
        var rows = 0
        var numbers: [Double] = []
        var codes: [[Int32]]
        var values: [[String]]
        var lookup: [[[UInt8]: Int32]]
        var lines = RowLines()
        var failure: (line: Int64, message: String)?

        init(layout: Layout) {
            self.layout = layout
            codes = Array(repeating: [], count: layout.encoded.count)
            values = Array(repeating: [], count: layout.encoded.count)
            lookup = Array(repeating: [:], count: layout.encoded.count)
        }

        mutating func append(_ chunk: Chunk) {
            guard failure == nil else { return }
            rows += chunk.rows
            numbers += chunk.numbers
            lines.append(chunk.lines, rows: chunk.rows)
            for e in codes.indices {
                // The chunk's codes to this file's.
                let mapping = chunk.dictionaries[e].values.map { bytes -> Int32 in
                    if let code = lookup[e][bytes] { return code }
                    let code = Int32(values[e].count)
                    lookup[e][bytes] = code
                    values[e].append(String(decoding: bytes, as: UTF8.self))
                    return code
                }
                for code in chunk.codes[e] { codes[e].append(mapping[Int(code)]) }
            }
            failure = chunk.failure
        }

        func finish(spec: QualitySpec, displayPath: String) throws -> Predictions {
            if let failure { throw Problem(description: "\(displayPath): line \(failure.line): \(failure.message)") }
            guard rows > 0 else { throw Problem(description: "\(displayPath): no rows") }
            var result = Predictions()
            result.rows = rows
            result.lines = lines
            let scoreWidth = layout.scoreColumns.count
            let numericWidth = scoreWidth + (layout.kind == .regression ? 1 + (layout.predictionColumn == nil ? 0 : 1) : 0)
            result.hasScores = scoreWidth > 0
            if scoreWidth > 0 {
                if numericWidth == scoreWidth {
                    result.scores = numbers
                } else {
                    result.scores.reserveCapacity(rows * scoreWidth)
                    for row in 0..<rows { result.scores += numbers[(row * numericWidth)..<(row * numericWidth + scoreWidth)] }
                }
            }
            var next = 0  // the next encoded column
            switch layout.kind {
            case .regression:
                result.truthValues = (0..<rows).map { numbers[$0 * numericWidth + scoreWidth] }
                result.predictedValues = (0..<rows).map { numbers[$0 * numericWidth + scoreWidth + 1] }
            case .binary:
                result.classCount = 2
                let labelValues = values[0]
                guard labelValues.count <= 2 else {
                    throw Problem(
                        description:
                            "\(displayPath): '\(spec.label)' has \(labelValues.count) distinct values (\(Self.list(labelValues))); a binary suite needs two — for a multiclass model give 'scores' or 'classes'"
                    )
                }
                let positive = labelValues.firstIndex(of: spec.positive).map(Int32.init)
                if positive == nil && labelValues.count == 2 {
                    throw Problem(
                        description:
                            "\(displayPath): '\(spec.label)' never equals positive = \"\(spec.positive)\" (its values: \(Self.list(labelValues))); set 'positive'"
                    )
                }
                result.truth = codes[0].map { $0 == positive ? 1 : 0 }
                next = 1
                if let predictionColumn = layout.predictionColumn {
                    let predictedValues = values[1]
                    let extra = predictedValues.filter { $0 != spec.positive && !labelValues.contains($0) }
                    if !extra.isEmpty || predictedValues.count > 2 {
                        throw Problem(
                            description:
                                "\(displayPath): '\(layout.columnNames[predictionColumn])' has values the label never takes (\(Self.list(extra))); a binary suite's predictions are the label's two values"
                        )
                    }
                    let positivePrediction = predictedValues.firstIndex(of: spec.positive).map(Int32.init)
                    result.predicted = codes[1].map { $0 == positivePrediction ? 1 : 0 }
                    next = 2
                } else {
                    result.predicted = result.scores.map { $0 >= spec.threshold ? 1 : 0 }
                }
            case .multiclass:
                result.classCount = spec.classes.count
                let classIndex = Dictionary(uniqueKeysWithValues: spec.classes.enumerated().map { ($1, $0) })
                func classes(of column: Int, named name: String) throws -> [Int] {
                    var mapping: [Int] = []
                    for value in values[column] {
                        guard let index = classIndex[value] else {
                            let row = codes[column].firstIndex(of: Int32(mapping.count)) ?? 0
                            throw Problem(
                                description:
                                    "\(displayPath): line \(lines[row]): '\(name)' is '\(value)', not one of the classes (\(Self.list(spec.classes)))"
                            )
                        }
                        mapping.append(index)
                    }
                    return codes[column].map { mapping[Int($0)] }
                }
                result.truth = try classes(of: 0, named: spec.label)
                next = 1
                if let prediction = spec.prediction {
                    result.predicted = try classes(of: 1, named: prediction)
                    next = 2
                } else {
                    let k = result.classCount
                    result.predicted = (0..<rows).map { row in
                        var best = 0
                        var top = -Double.infinity
                        for c in 0..<k where result.scores[row * k + c] > top {
                            top = result.scores[row * k + c]
                            best = c
                        }
                        return best
                    }
                }
            }
            for (offset, name) in layout.groupNames.enumerated() {
                result.groups[name] = Group(codes: codes[next + offset], values: values[next + offset])
            }
            return result
        }

        static func list(_ values: [String]) -> String {
            let shown = values.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            return values.count > 5 ? shown + ", …" : shown
        }
    }
}

/// The line each row of a file starts on, kept as the readers' per-batch arrays (no copy of
/// one 8-byte number per row into a single array): row r's line is found by a binary search
/// over the batches' first rows.
struct RowLines: Sendable {
    private var batches: [[Int64]] = []
    private var firstRows: [Int] = []
    private(set) var count = 0

    /// Adds a batch's lines (its first `rows`).
    mutating func append(_ lines: [Int64], rows: Int) {
        guard rows > 0 else { return }
        batches.append(rows == lines.count ? lines : Array(lines.prefix(rows)))
        firstRows.append(count)
        count += rows
    }

    /// The line row `row` starts on.
    subscript(row: Int) -> Int64 {
        var low = 0, high = firstRows.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if firstRows[mid] <= row { low = mid } else { high = mid - 1 }
        }
        return batches[low][row - firstRows[low]]
    }
}
