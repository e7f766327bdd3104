/// Byte scans the reader runs over whole blocks: line breaks, character columns, UTF-8
/// validity. The JSON Lines reader places its errors with `column(of:in:)` too.
extension CSVReader {
    /// The number of line feeds in `bytes`.
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = 0
        // Eight bytes at a time: the exact zero-byte mask of word ^ "\n\n…", counted by popcount.
        while i + 8 <= bytes.count {
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let zero = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
            count += zero.nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            if base[i] == UInt8(ascii: "\n") { count += 1 }
            i += 1
        }
        return count
    }

    /// The 1-based column (in characters) of `offset`, counted from the last line break before it.
    static func column(of offset: Int, in span: UnsafeBufferPointer<UInt8>) -> Int {
        var start = min(offset, span.count)
        while start > 0, span[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var column = 1
        var i = start
        while i < min(offset, span.count) {
            if span[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    /// The offset of the first byte that is not valid UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        // Eight bytes at a time while all are ASCII.
        while i < n {
            while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { return nil }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            if base[i + 1] < low || base[i + 1] > high { return i }
            for k in 2..<max(2, length) where base[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}
