import Foundation
import JSONText

/// Reads a JSON Lines file (one JSON object per line) as `RecordBatch`es of chosen columns.
///
/// The column model is CSV's: each requested key is a column, and a field holds the value's
/// text (a string without its quotes and escapes, a number as written, `true`/`false`, or an
/// object or array as its JSON text). A missing key or `null` is an absent field. Blank lines
/// are skipped. Every key met on any line is remembered (`keys`) for `columns_exactly`.
/// Lines are read a block at a time, in constant memory, on one thread.
package final class JSONLinesReader {
    package let displayPath: String
    /// The keys to read, in order: batch column `i` is `columns[i]`.
    package let columns: [String]
    /// Every key seen so far, in order of first appearance.
    package private(set) var keys: [String] = []
    private var keySet = Set<String>()
    private let path: String
    private let blockSize: Int

    package init(path: String, displayPath: String, columns: [String], blockSize: Int = 4 << 20) {
        self.path = path
        self.displayPath = displayPath
        self.columns = columns
        self.blockSize = blockSize
    }

    /// Reads the whole file; `work` and then `consume` run on each batch, in file order.
    package func read<Partial>(work: (RecordBatch) -> Partial, consume: (RecordBatch, Partial) -> Void) throws(DataError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError(file: displayPath, "cannot open: no such file or not readable")
        }
        defer { try? handle.close() }
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { (Array($0.element.utf8), $0.offset) })
        var pending: [UInt8] = []
        var line: Int64 = 1
        var offset: Int64 = 0
        var endOfFile = false
        while !endOfFile {
            let chunk: Data
            do { chunk = try handle.read(upToCount: blockSize) ?? Data() } catch {
                throw DataError(file: displayPath, "read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { endOfFile = true }
            pending.append(contentsOf: chunk)
            // Everything up to the last line break (or all of it at the end).
            var end = pending.count
            if !endOfFile {
                guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                end = last + 1
            }
            if end == 0 { continue }
            try pending.withUnsafeBufferPointer { (all) throws(DataError) in
                guard let base = all.baseAddress else { return }
                var batch = RecordBatch.Builder(columnCount: columns.count, base: base, baseCount: end)
                var start = 0
                while start < end {
                    var stop = start
                    while stop < end, all[stop] != UInt8(ascii: "\n") { stop += 1 }
                    var content = stop
                    if content > start, all[content - 1] == UInt8(ascii: "\r") { content -= 1 }
                    var parser = JSONLineParser(bytes: all, position: start, end: content)
                    if parser.skipSpace() < content {
                        let before = batch.bounds.count
                        batch.bounds.append(contentsOf: repeatElement(-1, count: columns.count))
                        do throws(JSONLineParser.Failure) {
                            try parser.object(batch: &batch, fieldsAt: before, columns: index) { key in
                                if !keySet.contains(key) {
                                    keySet.insert(key)
                                    keys.append(key)
                                }
                            }
                        } catch {
                            throw DataError(
                                file: displayPath, line: line,
                                column: CSVReader.column(of: error.offset, in: all), error.message)
                        }
                        batch.lines.append(line)
                        batch.offsets.append(offset + Int64(start))
                    }
                    line += 1
                    start = stop + 1
                }
                if batch.rowCount > 0 {
                    let frozen = RecordBatch(batch)
                    consume(frozen, work(frozen))
                }
            }
            offset += Int64(min(end, pending.count))
            pending.removeSubrange(0..<min(end, pending.count))
        }
    }
}

/// Parses one line's object; fields of wanted keys go into a batch.
struct JSONLineParser {
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    @discardableResult
    mutating func skipSpace() -> Int {
        while position < end, [0x20, 0x09, 0x0D].contains(bytes[position]) { position += 1 }
        return position
    }

    private func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

    /// The line's object; `seen` is told every key.
    mutating func object(
        batch: inout RecordBatch.Builder, fieldsAt fieldBase: Int, columns: [[UInt8]: Int],
        seen: (String) -> Void
    ) throws(Failure) {
        skipSpace()
        guard position < end, bytes[position] == UInt8(ascii: "{") else { throw fail("expected a JSON object ('{') on this line") }
        position += 1
        skipSpace()
        if position < end, bytes[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipSpace()
                guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                let key = try string().withBytes(in: bytes) { Array($0) }
                seen(String(decoding: key, as: UTF8.self))
                skipSpace()
                guard position < end, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                position += 1
                skipSpace()
                let column = columns[key]
                let valueStart = position
                guard position < end else { throw fail("expected a value") }
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    let text = try string()
                    if let column { text.withBytes(in: bytes) { batch.setExtraField(fieldBase + column, $0) } }
                case UInt8(ascii: "n"):
                    try literal("null")
                default:
                    try skipValue()
                    if let column {
                        batch.setExtraField(fieldBase + column, UnsafeBufferPointer(rebasing: bytes[valueStart..<position]))
                    }
                }
                skipSpace()
                guard position < end else { throw fail("expected ',' or '}'") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; break }
                throw fail("expected ',' or '}'")
            }
        }
        skipSpace()
        if position < end { throw fail("unexpected text after the object") }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard position < end, bytes[position] == byte else { throw fail("invalid literal (expected '\(word)')") }
            position += 1
        }
    }

    /// A string's content, escapes undone; `position` is at its opening quote.
    private mutating func string() throws(Failure) -> JSONString.Content {
        do throws(JSONString.Error) {
            return try JSONString.read(bytes, at: &position, end: end, loneSurrogates: .reject)
        } catch {
            let message =
                switch error.kind {
                case .unterminated: "unterminated string"
                case .unterminatedEscape: "unterminated escape"
                case .controlCharacter: "control character in a string"
                case .invalidEscape: "invalid escape"
                case .truncatedUnicodeEscape, .invalidUnicodeEscape, .loneSurrogate: "invalid \\u escape"
                case .invalidSurrogatePair: "invalid surrogate pair"
                }
            throw Failure(message: message, offset: error.offset)
        }
    }

    /// Skips a number, literal, array or object.
    private mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < 512 else { throw fail("nested too deeply") }
        guard position < end else { throw fail("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let isObject = bytes[position] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipSpace()
            if position < end, bytes[position] == close { position += 1; return }
            while true {
                skipSpace()
                if isObject {
                    guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                    _ = try string()
                    skipSpace()
                    guard position < end, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                    position += 1
                    skipSpace()
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                guard position < end else { throw fail("unterminated \(isObject ? "object" : "array")") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == close { position += 1; return }
                throw fail("expected ',' or '\(Character(UnicodeScalar(close)))'")
            }
        default:
            let start = position
            while position < end,
                bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+")
                    || bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e")
                    || bytes[position] &- 48 < 10
            {
                position += 1
            }
            guard position > start,
                NumberParsing.double(UnsafeBufferPointer(rebasing: bytes[start..<position])) != nil
            else {
                position = start
                throw fail("invalid value")
            }
        }
    }
}

extension JSONLinesReader {
    /// The requested columns of the line that starts at byte `offset` (nil for an absent
    /// field), for showing a sampled row after the pass; nil when it cannot be read back.
    package func fields(atOffset offset: Int64, window: Int = 1 << 20) -> [String?]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
            let data = try? handle.read(upToCount: window), !data.isEmpty
        else { return nil }
        var bytes = [UInt8](data)
        if let end = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(end...) }
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { (Array($0.element.utf8), $0.offset) })
        return bytes.withUnsafeBufferPointer { all -> [String?]? in
            guard let base = all.baseAddress else { return nil }
            var builder = RecordBatch.Builder(columnCount: columns.count, base: base, baseCount: all.count)
            builder.bounds = Array(repeating: -1, count: columns.count)
            var parser = JSONLineParser(bytes: all, position: 0, end: all.count)
            guard (try? parser.object(batch: &builder, fieldsAt: 0, columns: index, seen: { _ in })) != nil else { return nil }
            builder.lines = [1]
            builder.offsets = [offset]
            let batch = RecordBatch(builder)
            return (0..<columns.count).map { batch.isAbsent(row: 0, column: $0) ? nil : batch.string(row: 0, column: $0) }
        }
    }
}
