import Foundation
import MLRunCore
import MLRunData

/// One expectation, checked during the single streaming pass over a file.
///
/// `examine` runs on each batch, possibly on two threads at once, and must only read the
/// check's configuration; `absorb` then gets its result on one thread, in file order, and
/// may update the check's state; `conclude` gives the test's verdict and values.
protocol Check: AnyObject, Sendable {
    /// The test name (the part of the id after the suite).
    var name: String { get }
    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable
    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError)
    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult
}

/// What a check's test ends with.
struct CheckResult: Sendable {
    var verdict: TestVerdict
    var values: [(String, JSONValue)]
}

/// What every check may read while examining a batch.
struct BatchContext: Sendable {
    /// Batch column indices of the suite's `key` columns, with their names.
    var keyColumns: [(name: String, index: Int)]
}

/// What the whole pass saw, for verdicts.
struct PassSummary {
    var rows: Int
    /// Reads the fields of the row at a byte offset (for samples of hash-based checks).
    var fieldsAt: (Int64) -> [Int: String]
    /// The lines of rows at byte offsets.
    var linesAt: ([Int64]) -> [Int64: Int64]
}

/// One offending row, for `unexpected_sample`.
struct SampleRow: Sendable {
    var line: Int64
    var value: String
    var key: [(String, String)]

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("line", .int(Int(line))), ("value", .string(value))]
        if !key.isEmpty { members.append(("key", .object(key.map { ($0.0, .string($0.1)) }))) }
        return .object(members)
    }
}

enum Sampling {
    /// How many offending rows a test's values show.
    static let limit = 20

    static func row(_ batch: RecordBatch, _ row: Int, column: Int?, _ context: BatchContext) -> SampleRow {
        SampleRow(
            line: batch.lines[row],
            value: column.map { batch.isAbsent(row: row, column: $0) ? "" : Self.clip(batch.string(row: row, column: $0)) } ?? "",
            key: context.keyColumns.map { ($0.name, Self.clip(batch.string(row: row, column: $0.index))) })
    }

    /// Long values are cut to 200 characters in samples and messages.
    static func clip(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Counts and first offenders of a per-row expectation, merged batch by batch.
struct RowTally: Sendable {
    var unexpected = 0
    /// Rows the expectation looked at (the denominator of `mostly`).
    var considered = 0
    var sample: [SampleRow] = []

    mutating func merge(_ other: RowTally) {
        unexpected += other.unexpected
        considered += other.considered
        if sample.count < Sampling.limit { sample += other.sample.prefix(Sampling.limit - sample.count) }
    }

    /// The verdict: fails on any offender, or, with `mostly`, when fewer than that share of
    /// the considered rows are fine.
    func result(rows: Int, mostly: Double?, failure: (String) -> String) -> CheckResult {
        var values: [(String, JSONValue)] = [
            ("unexpected_count", .int(unexpected)),
            ("element_count", .int(rows)),
            ("unexpected_sample", .array(sample.map(\.json))),
        ]
        let share = considered == 0 ? 0 : Double(unexpected) / Double(considered)
        values.append(("unexpected_percent", .double((share * 100 * 1e6).rounded() / 1e6)))
        let passed: Bool
        if let mostly {
            values.append(("mostly", .double(mostly)))
            passed = considered == 0 || Double(considered - unexpected) / Double(considered) >= mostly
        } else {
            passed = unexpected == 0
        }
        if passed { return CheckResult(verdict: .passed, values: values) }
        var message = failure("\(unexpected) of \(considered)")
        if let first = sample.first { message += " (first at line \(first.line): \(first.value.isEmpty ? "empty" : "'\(first.value)'"))" }
        if let mostly {
            message +=
                "; mostly = \(mostly) needs at least \(DataSpec.format(mostly * 100))% fine, got \(DataSpec.format(((1 - share) * 100 * 1e4).rounded() / 1e4))%"
        }
        return CheckResult(verdict: .failed(message), values: values)
    }
}
