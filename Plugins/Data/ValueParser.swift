import MLRunData

/// A field read as its column's type.
enum ParsedValue: Sendable, Equatable {
    case int(Int64)
    case float(Double)
    case string
    case bool(Bool)
    case datetime(Timestamp)

    /// Orders two values of one column (same case); strings are not ordered here.
    static func compare(_ a: ParsedValue, _ b: ParsedValue) -> Int {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.float(x), .float(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.datetime(x), .datetime(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.bool(x), .bool(y)): return x == y ? 0 : (x ? 1 : -1)
        default: return 0
        }
    }

    /// The value as a double, for `min`/`max` on numbers.
    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }
}

/// Reads field bytes as a `DataSpec.ValueType`.
enum ValueParser {
    /// The parsed value, or nil when the bytes are not a value of `type`.
    ///
    /// int: an optional sign and decimal digits, within 64 bits (`1.0` is not an int). float:
    /// a decimal or scientific number, `nan`, `inf`. bool: `true`/`false` in any case, or `1`/`0`.
    /// datetime: ISO 8601 (see `Timestamp.parse`). string: anything.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, as type: DataSpec.ValueType) -> ParsedValue? {
        switch type {
        case .int: return NumberParsing.int64(bytes).map(ParsedValue.int)
        case .float: return NumberParsing.double(bytes).map(ParsedValue.float)
        case .string: return .string
        case .datetime: return Timestamp.parse(bytes).map(ParsedValue.datetime)
        case .bool:
            switch bytes.count {
            case 1:
                if bytes[0] == UInt8(ascii: "1") { return .bool(true) }
                if bytes[0] == UInt8(ascii: "0") { return .bool(false) }
                return nil
            case 4 where matches(bytes, "true"): return .bool(true)
            case 5 where matches(bytes, "false"): return .bool(false)
            default: return nil
            }
        }
    }

    /// Case-insensitive comparison with an ASCII word.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for i in 0..<bytes.count where bytes[i] | 0x20 != expected[i] { return false }
        return true
    }

    /// A hash of a parsed value (its bits) or of the raw bytes for strings: equal values, equal hashes.
    @inline(__always)
    static func hash(_ value: ParsedValue, bytes: UnsafeBufferPointer<UInt8>, into state: UInt64 = KeyHash.seed) -> UInt64 {
        switch value {
        case .int(let v): return KeyHash.hash(UInt64(bitPattern: v), into: state)
        // -0.0 == 0.0, as pandas compares.
        case .float(let v): return KeyHash.hash((v == 0 ? 0.0 : v).bitPattern, into: state ^ 1)
        case .bool(let v): return KeyHash.hash(v ? 1 : 0, into: state ^ 2)
        case .datetime(let t): return KeyHash.hash(UInt64(bitPattern: t.seconds) &* 1_000_000_007 &+ UInt64(t.nanoseconds), into: state ^ 3)
        case .string: return KeyHash.hash(UnsafeRawBufferPointer(bytes), into: state)
        }
    }
}
