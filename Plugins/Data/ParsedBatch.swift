import MLRunData

/// The columns of one batch that some check reads, each field read once as its column's type.
struct ParsedBatch {
    /// Per row: whether the field is a value, null, or not a value of the type.
    enum State: UInt8 {
        case value, null, invalid
    }

    struct Column {
        var states: [State]
        var values: [ParsedValue]
    }

    /// Parsed columns by batch column index.
    private(set) var columns: [Int: Column] = [:]

    /// Reads `needed` (batch column index → type) of `batch`; a field equal to one of
    /// `nullValues` (or absent) is null, and so is a float `nan`, as pandas' `isna` counts it.
    init(batch: RecordBatch, needed: [Int: DataSpec.ValueType], nullValues: [[UInt8]]) {
        for (index, type) in needed {
            var states = [State](repeating: .null, count: batch.rowCount)
            var values = [ParsedValue](repeating: .string, count: batch.rowCount)
            states.withUnsafeMutableBufferPointer { states in
                values.withUnsafeMutableBufferPointer { values in
                    for row in 0..<batch.rowCount {
                        guard let bytes = batch.field(row: row, column: index), !Self.isNull(bytes, nullValues) else { continue }
                        guard let value = ValueParser.parse(bytes, as: type) else {
                            states[row] = .invalid
                            continue
                        }
                        if case .float(let number) = value, number.isNaN { continue }
                        states[row] = .value
                        values[row] = value
                    }
                }
            }
            columns[index] = Column(states: states, values: values)
        }
    }

    @inline(__always)
    static func isNull(_ bytes: UnsafeBufferPointer<UInt8>, _ tokens: [[UInt8]]) -> Bool {
        for token in tokens where token.count == bytes.count {
            if token.isEmpty { return true }
            if token.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) { return true }
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
