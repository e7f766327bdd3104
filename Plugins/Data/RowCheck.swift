import Foundation
import MLRunCore
import MLRunData

#if canImport(Glibc)
import Glibc
#endif

/// A per-row expectation on one column: each row is fine or not on its own.
///
/// Which rows count: `type` looks at every non-null field (a field that does not parse is
/// the offender); `not_null` at every row; the others only at fields holding a value of the
/// column's type (nulls and unparsable fields are left to `not_null` and `type`).
final class RowCheck: Check, @unchecked Sendable {
    enum Rule: Sendable {
        case type(DataSpec.ValueType)
        case notNull
        case between(min: DataSpec.Bound?, max: DataSpec.Bound?, strictMin: Bool, strictMax: Bool)
        case allowed(values: [ParsedValue], texts: [[UInt8]], display: [String])
        case regex(NSRegularExpression, pattern: String)
        case length(min: Int?, max: Int?)
        case notFuture(now: Timestamp)
    }

    let name: String
    let column: Int
    let rule: Rule
    let mostly: Double?
    private var tally = RowTally()

    init(name: String, column: Int, rule: Rule, mostly: Double?) {
        self.name = name
        self.column = column
        self.rule = rule
        self.mostly = mostly
    }

    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable {
        guard let data = parsed.columns[column] else { return RowTally() }
        var tally = RowTally()
        // The rule is matched once per batch, not per row: each case is its own loop.
        let column = self.column
        func offend(_ row: Int) {
            tally.unexpected += 1
            if tally.sample.count < Sampling.limit { tally.sample.append(Sampling.row(batch, row, column: column, context)) }
        }
        data.states.withUnsafeBufferPointer { states in
            switch rule {
            case .notNull:
                tally.considered = batch.rowCount
                for row in 0..<batch.rowCount where states[row] == .null { offend(row) }
            case .type:
                for row in 0..<batch.rowCount where states[row] != .null {
                    tally.considered += 1
                    if states[row] == .invalid { offend(row) }
                }
            case .between(let min, let max, let strictMin, let strictMax) where data.type == .float:
                // Floats against plain doubles, straight from the column's array.
                let low = min.map(Self.limit) ?? -.infinity, high = max.map(Self.limit) ?? .infinity
                data.numbers.withUnsafeBufferPointer { numbers in
                    for row in 0..<batch.rowCount where states[row] == .value {
                        tally.considered += 1
                        let x = numbers[row]
                        if x < low || x > high || (strictMin && x == low) || (strictMax && x == high) { offend(row) }
                    }
                }
            case .between(let min, let max, let strictMin, let strictMax):
                // Ints and instants compared exactly.
                for row in 0..<batch.rowCount where states[row] == .value {
                    tally.considered += 1
                    if !Self.within(data.value(row), min, max, strictMin, strictMax) { offend(row) }
                }
            case .allowed(let allowedValues, let texts, _):
                let isString = data.type == .string
                for row in 0..<batch.rowCount where states[row] == .value {
                    tally.considered += 1
                    let fine: Bool
                    if isString {
                        let bytes = batch.field(row: row, column: column) ?? UnsafeBufferPointer(start: nil, count: 0)
                        fine = texts.contains { text in Self.equal(text, bytes) }
                    } else {
                        let value = data.value(row)
                        fine = allowedValues.contains { ParsedValue.compare($0, value) == 0 && Self.sameKind($0, value) }
                    }
                    if !fine { offend(row) }
                }
            case .notFuture(let now):
                data.integers.withUnsafeBufferPointer { seconds in
                    data.nanoseconds.withUnsafeBufferPointer { nanoseconds in
                        for row in 0..<batch.rowCount where states[row] == .value {
                            tally.considered += 1
                            if seconds[row] > now.seconds || (seconds[row] == now.seconds && nanoseconds[row] > now.nanoseconds) {
                                offend(row)
                            }
                        }
                    }
                }
            default:
                for row in 0..<batch.rowCount where states[row] == .value {
                    tally.considered += 1
                    if !isFine(data.value(row), batch.field(row: row, column: column) ?? UnsafeBufferPointer(start: nil, count: 0)) {
                        offend(row)
                    }
                }
            }
        }
        return tally
    }

    private static func limit(_ bound: DataSpec.Bound) -> Double {
        switch bound {
        case .number(let value): return value
        case .instant(let t): return Double(t.seconds)
        }
    }

    /// Whether an int or an instant lies within the bounds, compared exactly.
    private static func within(_ value: ParsedValue, _ min: DataSpec.Bound?, _ max: DataSpec.Bound?, _ strictMin: Bool, _ strictMax: Bool) -> Bool {
        if let min, let order = order(value, min), order < 0 || (strictMin && order == 0) { return false }
        if let max, let order = order(value, max), order > 0 || (strictMax && order == 0) { return false }
        return true
    }

    /// Whether a value (of the column's type) meets the rule.
    @inline(__always)
    private func isFine(_ value: ParsedValue, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch rule {
        case .between(let min, let max, let strictMin, let strictMax):
            if let min, let order = Self.order(value, min), order < 0 || (strictMin && order == 0) { return false }
            if let max, let order = Self.order(value, max), order > 0 || (strictMax && order == 0) { return false }
            return true
        case .allowed(let values, let texts, _):
            if case .string = value {
                return texts.contains { $0.count == bytes.count && $0.elementsEqual(bytes) }
            }
            return values.contains(value) || values.contains { ParsedValue.compare($0, value) == 0 && Self.sameKind($0, value) }
        case .regex(let expression, _):
            let text = String(decoding: bytes, as: UTF8.self)
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .length(let min, let max):
            var length = 0
            for byte in bytes where byte & 0xC0 != 0x80 { length += 1 }
            return length >= (min ?? 0) && length <= (max ?? .max)
        case .notFuture(let now):
            if case .datetime(let instant) = value { return instant <= now }
            return true
        case .type, .notNull:
            return true
        }
    }

    /// Byte equality, without a call to memcmp for short values.
    @inline(__always)
    private static func equal(_ text: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == bytes.count else { return false }
        for i in 0..<bytes.count where text[i] != bytes[i] { return false }
        return true
    }

    private static func sameKind(_ a: ParsedValue, _ b: ParsedValue) -> Bool {
        switch (a, b) {
        case (.int, .int), (.float, .float), (.bool, .bool), (.datetime, .datetime): return true
        default: return false
        }
    }

    /// -1, 0 or 1 for value against bound; nil when they cannot be compared (NaN).
    private static func order(_ value: ParsedValue, _ bound: DataSpec.Bound) -> Int? {
        switch (value, bound) {
        case (.datetime(let instant), .instant(let limit)):
            return instant < limit ? -1 : (instant > limit ? 1 : 0)
        case (_, .number(let limit)):
            // Integers compare exactly (no rounding through Double for |v| > 2^53).
            if case .int(let integer) = value, limit == limit.rounded(), abs(limit) < 9.2e18 {
                let l = Int64(limit)
                return integer < l ? -1 : (integer > l ? 1 : 0)
            }
            guard let number = value.number, !number.isNaN else { return nil }
            return number < limit ? -1 : (number > limit ? 1 : 0)
        default:
            return nil
        }
    }

    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError) {
        if let partial = partial as? RowTally { tally.merge(partial) }
    }

    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult {
        var result = tally.result(rows: pass.rows, mostly: mostly) { counts in
            switch rule {
            case .type(let type): return "\(counts) non-null values are not \(type == .int ? "an int" : "a \(type.rawValue)")"
            case .notNull: return "\(counts) values are null"
            case .between(let min, let max, let strictMin, let strictMax):
                let low = min.map { "\(strictMin ? "(" : "[")\($0)" } ?? "(-inf"
                let high = max.map { "\($0)\(strictMax ? ")" : "]")" } ?? "inf)"
                return "\(counts) values are outside \(low), \(high)"
            case .allowed(_, _, let display):
                return "\(counts) values are not in {\(display.prefix(10).joined(separator: ", "))\(display.count > 10 ? ", …" : "")}"
            case .regex(_, let pattern): return "\(counts) values do not match /\(pattern)/"
            case .length(let min, let max):
                return "\(counts) values have a length outside [\(min ?? 0), \(max.map(String.init) ?? "inf")]"
            case .notFuture(let now): return "\(counts) values are in the future (after \(now))"
            }
        }
        if case .between(let min, let max, _, _) = rule {
            if let min { result.values.append(("min", Self.boundJSON(min))) }
            if let max { result.values.append(("max", Self.boundJSON(max))) }
        }
        return result
    }

    private static func boundJSON(_ bound: DataSpec.Bound) -> JSONValue {
        switch bound {
        case .number(let value): return .double(value)
        case .instant(let value): return .string(value.description)
        }
    }
}
