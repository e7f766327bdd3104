import MLRunData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The columns of one batch that some check reads, each field read once as its column's type.
struct ParsedBatch {
    /// Per row: whether the field is a value, null, or not a value of the type.
    enum State: UInt8 {
        case value, null, invalid
    }

    /// One column's fields, in plain typed arrays (8 bytes a value, no enum payloads): `float`
    /// in `numbers`; `int` and `bool` (0/1) in `integers`; `datetime` as seconds in `integers`
    /// and nanoseconds in `nanoseconds`; `string` keeps only its states (checks read the bytes).
    struct Column {
        var type: DataSpec.ValueType
        var states: [State]
        var numbers: [Double] = []
        var integers: [Int64] = []
        var nanoseconds: [Int32] = []

        /// Row `row`'s value (meaningful where `states[row] == .value`).
        @inline(__always)
        func value(_ row: Int) -> ParsedValue {
            switch type {
            case .float: return .float(numbers[row])
            case .int: return .int(integers[row])
            case .bool: return .bool(integers[row] != 0)
            case .datetime: return .datetime(Timestamp(seconds: integers[row], nanoseconds: nanoseconds[row]))
            case .string: return .string
            }
        }
    }

    /// Parsed columns by batch column index.
    private(set) var columns: [Int: Column] = [:]

    /// Reads `needed` (batch column index → type) of `batch`; a field equal to one of
    /// `nullValues` (or absent) is null, and so is a float `nan`, as pandas' `isna` counts it.
    init(batch: RecordBatch, needed: [Int: DataSpec.ValueType], nullValues: [[UInt8]]) {
        let rows = batch.rowCount
        for (index, type) in needed {
            var column = Column(type: type, states: [State](repeating: .null, count: rows))
            switch type {
            case .float: column.numbers = [Double](repeating: 0, count: rows)
            case .int, .bool: column.integers = [Int64](repeating: 0, count: rows)
            case .datetime:
                column.integers = [Int64](repeating: 0, count: rows)
                column.nanoseconds = [Int32](repeating: 0, count: rows)
            case .string: break
            }
            column.states.withUnsafeMutableBufferPointer { states in
                for row in 0..<rows {
                    guard let bytes = batch.field(row: row, column: index), !Self.isNull(bytes, nullValues) else { continue }
                    switch type {
                    case .float:
                        guard let number = NumberParsing.double(bytes) else { states[row] = .invalid; continue }
                        if number.isNaN { continue }
                        column.numbers[row] = number
                    case .int:
                        guard let integer = NumberParsing.int64(bytes) else { states[row] = .invalid; continue }
                        column.integers[row] = integer
                    case .bool:
                        guard case .bool(let flag)? = ValueParser.parse(bytes, as: .bool) else { states[row] = .invalid; continue }
                        column.integers[row] = flag ? 1 : 0
                    case .datetime:
                        guard let instant = Timestamp.parse(bytes) else { states[row] = .invalid; continue }
                        column.integers[row] = instant.seconds
                        column.nanoseconds[row] = instant.nanoseconds
                    case .string:
                        break
                    }
                    states[row] = .value
                }
            }
            columns[index] = column
        }
    }

    @inline(__always)
    static func isNull(_ bytes: UnsafeBufferPointer<UInt8>, _ tokens: [[UInt8]]) -> Bool {
        for token in tokens where token.count == bytes.count {
            if token.isEmpty { return true }
            let equal = token.withUnsafeBufferPointer { token in
                guard let a = token.baseAddress, let b = bytes.baseAddress else { return false }
                return memcmp(a, b, bytes.count) == 0
            }
            if equal { return true }
        }
        return false
    }
}
