import MLRunCore
import MLRunData

/// The label distribution of a column: `min_class_frequency` (every class holds at least that
/// share of the non-null values) and `min_classes` (at least that many distinct values).
///
/// Classes are the distinct non-null values, compared as the column's type; nulls and
/// unparsable fields are not counted. `unexpected_count` is the number of classes below the
/// frequency (pandas: `(s.value_counts(normalize=True) < f).sum()`), or for `min_classes` the
/// number of classes missing. At most 100,000 distinct values are tracked.
final class ClassCheck: Check, @unchecked Sendable {
    enum Rule: Sendable {
        case minFrequency(Double)
        case minClasses(Int)
    }

    static let distinctLimit = 100_000

    let name: String
    let column: Int
    let rule: Rule
    /// The data file, for the error past `distinctLimit`.
    let file: String
    private var counts: [UInt64: (count: Int, text: String)] = [:]
    private var total = 0

    init(name: String, column: Int, rule: Rule, file: String) {
        self.name = name
        self.column = column
        self.rule = rule
        self.file = file
    }

    struct Partial: Sendable {
        var counts: [UInt64: Int] = [:]
        var texts: [UInt64: String] = [:]
        var total = 0
    }

    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable {
        var partial = Partial()
        guard let data = parsed.columns[column] else { return partial }
        // Labels have few classes: a short array searched linearly beats a dictionary.
        var hashes: [UInt64] = [], counts: [Int] = [], rows: [Int] = []
        var index: [UInt64: Int] = [:]
        for row in 0..<batch.rowCount where data.states[row] == .value {
            let hash = ValueParser.hash(data.value(row), bytes: batch.field(row: row, column: column) ?? UnsafeBufferPointer(start: nil, count: 0))
            partial.total += 1
            let slot = hashes.count <= 64 ? hashes.firstIndex(of: hash) : index[hash]
            if let slot {
                counts[slot] += 1
            } else if hashes.count <= Self.distinctLimit {
                if hashes.count == 64 { for (at, known) in hashes.enumerated() { index[known] = at } }
                if hashes.count >= 64 { index[hash] = hashes.count }
                hashes.append(hash)
                counts.append(1)
                rows.append(row)
            }
        }
        for (slot, hash) in hashes.enumerated() {
            partial.counts[hash] = counts[slot]
            partial.texts[hash] = Sampling.clip(batch.string(row: rows[slot], column: column))
        }
        return partial
    }

    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError) {
        guard let partial = partial as? Partial else { return }
        total += partial.total
        for (hash, count) in partial.counts {
            if let existing = counts[hash] {
                counts[hash] = (existing.count + count, existing.text)
            } else {
                counts[hash] = (count, partial.texts[hash] ?? "")
            }
        }
        if counts.count > Self.distinctLimit {
            throw DataError(file: file, "\(name): more than \(Self.distinctLimit) distinct values: not a class label column")
        }
    }

    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult {
        let classes = counts.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text }
        var values: [(String, JSONValue)] = [("element_count", .int(pass.rows))]
        let shown = classes.prefix(50).map { ($0.text, JSONValue.int($0.count)) }
        switch rule {
        case .minFrequency(let threshold):
            let rare = classes.filter { total > 0 && Double($0.count) / Double(total) < threshold }
            let smallest = classes.last.map { Double($0.count) / Double(max(1, total)) } ?? 0
            values =
                [
                    ("value", .double(smallest)), ("threshold", .double(threshold)),
                    ("unexpected_count", .int(rare.count)),
                ] + values + [("classes", .object(shown))]
            guard !rare.isEmpty else { return CheckResult(verdict: .passed, values: values) }
            let listed = rare.suffix(5).reversed().map {
                "'\($0.text)' \(DataSpec.format((Double($0.count) / Double(total) * 1e6).rounded() / 1e4))%"
            }
            return CheckResult(
                verdict: .failed(
                    "\(rare.count) class\(rare.count == 1 ? "" : "es") below \(DataSpec.format(threshold * 100))% of \(total) values: \(listed.joined(separator: ", "))"
                ), values: values)
        case .minClasses(let needed):
            values =
                [
                    ("value", .int(classes.count)), ("threshold", .int(needed)),
                    ("unexpected_count", .int(max(0, needed - classes.count))),
                ] + values + [("classes", .object(shown))]
            guard classes.count < needed else { return CheckResult(verdict: .passed, values: values) }
            return CheckResult(
                verdict: .failed(
                    "\(classes.count) distinct value\(classes.count == 1 ? "" : "s"), at least \(needed) needed (seen: \(classes.prefix(10).map { "'\($0.text)'" }.joined(separator: ", ")))"
                ), values: values)
        }
    }
}
