import MLRunCore
import MLRunData

/// `unique` (one column or a composite key) and `leakage`, through `KeyGroups`, so memory
/// stays bounded whatever the number of rows.
///
/// unique: every row whose key is shared with another row is an offender, first occurrence
/// included (pandas' `duplicated(keep=False)`); rows with a null in a key column are skipped
/// (pandas: `df.dropna(subset=key).duplicated(subset=key, keep=False).sum()`). Values compare
/// as their type: `1.0` and `1.00` are the same float.
///
/// leakage: a key value is leaked when it occurs under two different values of the `split`
/// column, or in this file and in the `against` file; `unexpected_count` is the number of
/// leaked key values (pandas: `(df.groupby(key)[split].nunique() > 1).sum()`, or the size of
/// the intersection of the two files' key sets). Rows with a null key are skipped; a null
/// split is a split value of its own.
final class KeyCheck: Check, @unchecked Sendable {
    enum Kind: Sendable {
        case unique
        case leakageBySplit(split: Int)
        case leakageAgainst(file: String)
    }

    /// The tag of rows read from an `against` file.
    static let otherFileTag: UInt64 = 0xFFFF_FFFF_FFFF_FFFF

    let name: String
    let columns: [Int]
    let columnNames: [String]
    let kind: Kind
    let groups = KeyGroups()
    /// Rows of the `against` file, added before the pass.
    var otherRows = 0

    init(name: String, columns: [Int], columnNames: [String], kind: Kind) {
        self.name = name
        self.columns = columns
        self.columnNames = columnNames
        self.kind = kind
    }

    struct Partial: Sendable {
        var records: [KeyGroups.Record] = []
        var partitioned: KeyGroups.Partitioned?
    }

    /// The key hash of a row, or nil when a key column is null or unparsable.
    @inline(__always)
    static func key(_ batch: RecordBatch, _ data: [ParsedBatch.Column], row: Int, columns: [Int]) -> UInt64? {
        var hash = KeyHash.seed
        for (column, parsed) in zip(columns, data) {
            guard parsed.states[row] == .value else { return nil }
            hash = ValueParser.hash(
                parsed.value(row), bytes: batch.field(row: row, column: column) ?? UnsafeBufferPointer(start: nil, count: 0), into: hash)
        }
        return hash
    }

    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable {
        var partial = Partial()
        // The parsed columns are looked up once per batch, not per row.
        let data = columns.compactMap { parsed.columns[$0] }
        guard data.count == columns.count else { return partial }
        var splitData: ParsedBatch.Column?
        var splitColumn = -1
        if case .leakageBySplit(let split) = kind {
            splitData = parsed.columns[split]
            splitColumn = split
        }
        partial.records.reserveCapacity(batch.rowCount)
        // One key column (the usual case): its arrays are read through buffers, without
        // retaining them per row.
        var single: [UInt64?] = []
        if data.count == 1 {
            let column = columns[0]
            let parsed = data[0]
            single = parsed.states.withUnsafeBufferPointer { states in
                (0..<batch.rowCount).map { row -> UInt64? in
                    guard states[row] == .value else { return nil }
                    return ValueParser.hash(
                        parsed.value(row), bytes: batch.field(row: row, column: column) ?? UnsafeBufferPointer(start: nil, count: 0))
                }
            }
        }
        for row in 0..<batch.rowCount {
            guard let key = data.count == 1 ? single[row] : Self.key(batch, data, row: row, columns: columns) else { continue }
            var tag: UInt64 = 0
            if splitColumn >= 0 {
                if let split = splitData, split.states[row] == .value {
                    tag =
                        ValueParser.hash(
                            split.value(row), bytes: batch.field(row: row, column: splitColumn) ?? UnsafeBufferPointer(start: nil, count: 0)) & ~1
                } else {
                    tag = 1
                }
            }
            partial.records.append(KeyGroups.Record(key: key, tag: tag, offset: batch.offsets[row]))
        }
        partial.partitioned = KeyGroups.partitioned(partial.records)
        partial.records = []
        return partial
    }

    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError) {
        guard let partial = partial as? Partial else { return }
        if let partitioned = partial.partitioned { try groups.add(partitioned) }
    }

    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult {
        let finding: KeyGroups.Finding
        switch kind {
        case .unique: finding = try groups.duplicates(sampleLimit: Sampling.limit)
        case .leakageBySplit: finding = try groups.keysWithSeveralTags(sampleLimit: Sampling.limit)
        case .leakageAgainst: finding = try groups.keysWithSeveralTags(excludingTag: Self.otherFileTag, sampleLimit: Sampling.limit)
        }
        let lines = pass.linesAt(finding.sample.map(\.offset))
        let sample = finding.sample.map { row -> SampleRow in
            let fields = pass.fieldsAt(row.offset)
            let value = columns.map { fields[$0] ?? "" }.joined(separator: ", ")
            var key: [(String, String)] = []
            if case .leakageBySplit(let split) = kind { key.append(("split", fields[split] ?? "")) }
            return SampleRow(line: lines[row.offset] ?? 0, value: Sampling.clip(value), key: key)
        }
        let values: [(String, JSONValue)] = [
            ("unexpected_count", .int(finding.count)),
            ("element_count", .int(pass.rows)),
            ("unexpected_sample", .array(sample.map(\.json))),
        ]
        guard finding.count > 0 else { return CheckResult(verdict: .passed, values: values) }
        let what = columnNames.joined(separator: ", ")
        var message: String
        switch kind {
        case .unique:
            message = "\(finding.count) of \(pass.rows) rows share their \(what) with another row"
        case .leakageBySplit:
            message = "\(finding.count) \(what) value\(finding.count == 1 ? " occurs" : "s occur") in more than one split"
        case .leakageAgainst(let file):
            message = "\(finding.count) \(what) value\(finding.count == 1 ? " occurs" : "s occur") both here and in \(file)"
        }
        if let first = sample.first { message += " (first at line \(first.line): '\(first.value)')" }
        return CheckResult(verdict: .failed(message), values: values)
    }
}
