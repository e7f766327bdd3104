import MLRunData

/// A data file of either format, read the same way.
enum TableFile {
    case csv(CSVReader)
    case jsonl(JSONLinesReader)

    /// Opens the file; a CSV's header is read now, a JSON Lines file reads `columns` only.
    static func open(spec: DataSpec, path: String, displayPath: String, columns: [String]) throws(DataError) -> TableFile {
        switch spec.format {
        case .csv:
            return .csv(try CSVReader(path: path, displayPath: displayPath, options: CSVOptions(delimiter: spec.delimiter)))
        case .jsonl:
            return .jsonl(JSONLinesReader(path: path, displayPath: displayPath, columns: columns))
        }
    }

    var displayPath: String {
        switch self {
        case .csv(let reader): return reader.displayPath
        case .jsonl(let reader): return reader.displayPath
        }
    }

    /// The batch's columns: a CSV's header, or the JSON keys asked for.
    var columns: [String] {
        switch self {
        case .csv(let reader): return reader.header
        case .jsonl(let reader): return reader.columns
        }
    }

    /// Whether a missing column is known before reading (CSV: from the header).
    var knowsColumnsUpFront: Bool {
        if case .csv = self { return true }
        return false
    }

    /// The columns the file has: the header, or every key met on any line (after reading).
    var seenColumns: [String] {
        switch self {
        case .csv(let reader): return reader.header
        case .jsonl(let reader): return reader.keys
        }
    }

    func read<Partial>(work: @escaping @Sendable (RecordBatch) -> Partial, consume: (RecordBatch, Partial) -> Void) throws(DataError) {
        switch self {
        case .csv(let reader): try reader.read(work: work, consume: consume)
        case .jsonl(let reader): try reader.read(work: work, consume: consume)
        }
    }

    /// The fields (by batch column) of the row at a byte offset.
    func fields(atOffset offset: Int64) -> [Int: String] {
        var result: [Int: String] = [:]
        switch self {
        case .csv(let reader):
            for (index, value) in (reader.fields(atOffset: offset) ?? []).enumerated() { result[index] = value }
        case .jsonl(let reader):
            for (index, value) in (reader.fields(atOffset: offset) ?? []).enumerated() { if let value { result[index] = value } }
        }
        return result
    }
}
