import MLRunCore
import MLRunData

/// `increasing` / `decreasing`: each value against the previous value of the column.
///
/// As pandas' `is_monotonic_increasing` (`strictly`: no two equal neighbours), but nulls and
/// unparsable fields are skipped, and instead of one yes/no every row that breaks the order
/// is an offender: a row whose value is below (for `strictly`, not above) the previous value.
/// pandas equivalent of the count: `(s.dropna().diff() < 0).sum()`. Strings compare by
/// their UTF-8 bytes.
final class OrderCheck: Check, @unchecked Sendable {
    let name: String
    let column: Int
    let decreasing: Bool
    let strictly: Bool
    private var tally = RowTally()
    /// The last value seen so far (its row's bytes for strings).
    private var last: Edge?

    struct Edge: Sendable {
        var value: ParsedValue
        var text: [UInt8]
    }

    struct Partial: Sendable {
        var tally = RowTally()
        var first: Edge?
        var firstSample: SampleRow?
        var last: Edge?
    }

    init(name: String, column: Int, decreasing: Bool, strictly: Bool) {
        self.name = name
        self.column = column
        self.decreasing = decreasing
        self.strictly = strictly
    }

    /// Whether `next` may follow `previous`.
    private func inOrder(_ previous: Edge, _ next: Edge) -> Bool {
        var order: Int
        if case .string = next.value {
            order = previous.text.lexicographicallyPrecedes(next.text) ? -1 : (previous.text == next.text ? 0 : 1)
        } else {
            order = ParsedValue.compare(previous.value, next.value)
        }
        if decreasing { order = -order }
        return strictly ? order < 0 : order <= 0
    }

    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable {
        var partial = Partial()
        guard let data = parsed.columns[column] else { return partial }
        let isString = data.type == .string
        var previous: Edge?
        for row in 0..<batch.rowCount where data.states[row] == .value {
            let edge = Edge(value: data.value(row), text: isString ? batch.withField(row: row, column: column) { Array($0) } : [])
            if let previous {
                partial.tally.considered += 1
                if !inOrder(previous, edge) {
                    partial.tally.unexpected += 1
                    if partial.tally.sample.count < Sampling.limit {
                        partial.tally.sample.append(Sampling.row(batch, row, column: column, context))
                    }
                }
            } else {
                partial.first = edge
                partial.firstSample = Sampling.row(batch, row, column: column, context)
            }
            previous = edge
        }
        partial.last = previous
        return partial
    }

    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError) {
        guard let partial = partial as? Partial else { return }
        // The batch's first value against the previous batch's last.
        if let first = partial.first, let last {
            var boundary = RowTally(unexpected: 0, considered: 1)
            if !inOrder(last, first) {
                boundary.unexpected = 1
                if let sample = partial.firstSample { boundary.sample = [sample] }
            }
            tally.merge(boundary)
        }
        tally.merge(partial.tally)
        if let end = partial.last { last = end }
    }

    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult {
        tally.result(rows: pass.rows, mostly: nil) { counts in
            "\(counts) values \(decreasing ? "rise above" : "fall below")\(strictly ? " or equal" : "") the value before them (expected \(strictly ? "strictly " : "")\(decreasing ? "decreasing" : "increasing"))"
        }
    }
}
