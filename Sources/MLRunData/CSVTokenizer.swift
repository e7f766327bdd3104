/// Splits a span of CSV bytes into rows and fields (RFC 4180).
///
/// Fields are separated by `delimiter` and rows by `\n` or `\r\n`. A field that starts with
/// `"` is quoted: it ends at the next lone `"`, `""` inside it stands for one `"`, and it may
/// hold delimiters and line breaks. A `"` inside an unquoted field is kept as written (as
/// pandas and pyarrow do). Blank lines are skipped. Every row must have `columns` fields.
struct CSVTokenizer {
    let delimiter: UInt8
    /// Fields per row; 0 reads only the first row, whatever its width (the header).
    let columns: Int

    /// What went wrong, at a byte offset of the span.
    enum Problem: Equatable {
        /// A row with the wrong number of fields; `offset` is where the row starts.
        case ragged(found: Int)
        /// A quoted field with no closing quote; `offset` is its opening quote.
        case unterminatedQuote
        /// Something other than a delimiter or line end after a closing quote.
        case afterClosingQuote
    }

    struct Failure: Equatable {
        var problem: Problem
        /// Byte offset in the span.
        var offset: Int
        /// Line breaks in the span before `offset`.
        var line: Int
    }

    /// What one call produced.
    struct Result: Equatable {
        /// Bytes consumed: complete rows only (unless `final`).
        var consumed: Int
        /// Line breaks within the consumed bytes.
        var lineBreaks: Int
        var failure: Failure?
    }

    /// 0x80 in every byte of `x` that is zero, and nothing else (exact: no borrow between bytes).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
    }

    /// Tokenizes `span` (which starts at a row boundary) into `batch`, with row lines counted
    /// from 0 and offsets from 0 (the caller shifts them). Without `final`, a row not ended by a
    /// line break inside the span is left unconsumed; with it, the span ends the file.
    ///
    /// Rows without quotes and carriage returns (most machine-written files) take a fast path
    /// (`tokenizeSimple`); from the first row that has one, the general state machine reads the
    /// rest of the span.
    func tokenize(_ span: UnsafeBufferPointer<UInt8>, final: Bool, into batch: inout RecordBatch.Builder, maxRows: Int = .max) -> Result {
        guard columns > 0, maxRows == .max else { return tokenizeGeneral(span, final: final, into: &batch, maxRows: maxRows) }
        let simple = tokenizeSimple(span, final: final, into: &batch)
        if simple.failure != nil || simple.complete {
            return Result(consumed: simple.consumed, lineBreaks: simple.lineBreaks, failure: simple.failure)
        }
        let start = simple.consumed
        let rowsBefore = batch.lines.count
        var rest = tokenizeGeneral(UnsafeBufferPointer(rebasing: span[start...]), final: final, into: &batch, maxRows: maxRows)
        // The general part counted lines and offsets from its own start.
        for row in rowsBefore..<batch.lines.count {
            batch.lines[row] += Int64(simple.lineBreaks)
            batch.offsets[row] += Int64(start)
        }
        rest.consumed += start
        rest.lineBreaks += simple.lineBreaks
        if var failure = rest.failure {
            failure.offset += start
            failure.line += simple.lineBreaks
            rest.failure = failure
        }
        return rest
    }

    /// What the fast path read: complete rows up to `consumed`; `complete` when it reached the
    /// end of the span (else a quote or carriage return stopped it at a row boundary).
    struct SimpleResult {
        var consumed: Int
        var lineBreaks: Int
        var complete: Bool
        var failure: Failure?
    }

    /// The fast path: 64 bytes at a time, the positions of delimiters and line breaks become a
    /// bit mask (SWAR zero-byte masks, gathered to one bit per byte by a multiply), and fields
    /// are read off its set bits, so no step waits for the end of the previous field.
    func tokenizeSimple(_ span: UnsafeBufferPointer<UInt8>, final: Bool, into batch: inout RecordBatch.Builder) -> SimpleResult {
        guard let base = span.baseAddress else { return SimpleResult(consumed: 0, lineBreaks: 0, complete: true) }
        let n = span.count
        let newline = UInt8(ascii: "\n")
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        let offsetInBatch = base - batch.base
        var out = FieldBuffer(capacity: max(64, n / 8))
        defer { out.release() }
        var fieldStart = 0, rowStart = 0, fields = 0, line = 0
        var committedFields = 0
        var chunk = 0
        var stopped = false
        scanning: while chunk < n {
            let end = min(chunk + 64, n)
            var mask: UInt64 = 0
            var special: UInt64 = 0
            if end - chunk == 64 {
                for word in 0..<8 {
                    let x = UnsafeRawPointer(base + chunk + word * 8).loadUnaligned(as: UInt64.self)
                    let hits = Self.zeroBytes(x ^ delimiterWord) | Self.zeroBytes(x ^ 0x0A0A_0A0A_0A0A_0A0A)
                    special |= Self.zeroBytes(x ^ 0x2222_2222_2222_2222) | Self.zeroBytes(x ^ 0x0D0D_0D0D_0D0D_0D0D)
                    mask |= (((hits >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(word * 8)
                }
            } else {
                for i in chunk..<end {
                    let byte = base[i]
                    if byte == delimiter || byte == newline { mask |= 1 << UInt64(i - chunk) }
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") { special = 1 }
                }
            }
            if special != 0 {
                stopped = true
                break scanning
            }
            while mask != 0 {
                let position = chunk + mask.trailingZeroBitCount
                mask &= mask &- 1
                out.append(Int64(offsetInBatch + fieldStart) << 32 | Int64(offsetInBatch + position))
                fields += 1
                fieldStart = position + 1
                guard base[position] == newline else { continue }
                if fields == 1 && position == rowStart {
                    out.count -= 1  // a blank line
                } else if fields != columns {
                    return SimpleResult(
                        consumed: rowStart, lineBreaks: line, complete: false,
                        failure: Failure(problem: .ragged(found: fields), offset: rowStart, line: line))
                } else {
                    batch.lines.append(Int64(line))
                    batch.offsets.append(Int64(rowStart))
                    committedFields = out.count
                }
                line += 1
                rowStart = position + 1
                fields = 0
            }
            chunk = end
        }
        if !stopped, final, rowStart < n {
            // The last row, without a line break.
            out.append(Int64(offsetInBatch + fieldStart) << 32 | Int64(offsetInBatch + n))
            fields += 1
            guard fields == columns else {
                return SimpleResult(
                    consumed: rowStart, lineBreaks: line, complete: false,
                    failure: Failure(problem: .ragged(found: fields), offset: rowStart, line: line))
            }
            batch.lines.append(Int64(line))
            batch.offsets.append(Int64(rowStart))
            committedFields = out.count
            rowStart = n
        }
        out.count = committedFields
        out.flush(into: &batch)
        return SimpleResult(consumed: rowStart, lineBreaks: line, complete: !stopped)
    }

    /// The general state machine: quotes, escaped quotes, `\r\n`, anything RFC 4180 allows.
    func tokenizeGeneral(_ span: UnsafeBufferPointer<UInt8>, final: Bool, into batch: inout RecordBatch.Builder, maxRows: Int = .max) -> Result {
        guard let base = span.baseAddress else { return Result(consumed: 0, lineBreaks: 0) }
        let n = span.count
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let delimiter = self.delimiter
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        var i = 0
        var line = 0
        var rows = 0
        // Where the last complete row ended, and the lines before it.
        var committed = 0
        var committedLine = 0
        // Rows already in the batch (from the fast path) stay; only this call's rows count below.
        let rowsAtStart = batch.lines.count
        let offsetInBatch = base - batch.base
        // Fields go to a plain growable buffer (no per-append array checks), moved into the
        // batch at the end; an escaped quoted field flushes it first to keep the order.
        var out = FieldBuffer(capacity: max(64, n / 8))
        defer { out.release() }
        var scratch: [UInt8] = []

        rowLoop: while i < n, rows < maxRows {
            let rowStart = i
            let rowLine = line
            // A blank line.
            if base[i] == newline {
                i += 1
                line += 1
                committed = i
                committedLine = line
                continue
            }
            if base[i] == cr, i + 1 < n, base[i + 1] == newline {
                i += 2
                line += 1
                committed = i
                committedLine = line
                continue
            }
            var fields = 0
            let fieldsBefore = out.count
            fieldLoop: while true {
                // One field starting at i.
                if i < n, base[i] == quote {
                    let open = i
                    let openLine = line
                    i += 1
                    var contentStart = i
                    var escaped = false
                    scratch.removeAll(keepingCapacity: true)
                    while true {
                        // Find the next quote, counting line breaks on the way.
                        while i < n, base[i] != quote {
                            if base[i] == newline { line += 1 }
                            i += 1
                        }
                        if i >= n {
                            if final {
                                return Result(
                                    consumed: committed, lineBreaks: committedLine,
                                    failure: Failure(problem: .unterminatedQuote, offset: open, line: openLine))
                            }
                            break rowLoop
                        }
                        if i + 1 < n, base[i + 1] == quote {
                            escaped = true
                            scratch.append(contentsOf: UnsafeBufferPointer(start: base + contentStart, count: i + 1 - contentStart))
                            i += 2
                            contentStart = i
                            continue
                        }
                        if i + 1 >= n, !final { break rowLoop }
                        break
                    }
                    if escaped {
                        scratch.append(contentsOf: UnsafeBufferPointer(start: base + contentStart, count: i - contentStart))
                        out.flush(into: &batch)
                        scratch.withUnsafeBufferPointer { batch.appendExtraField($0) }
                    } else {
                        out.append(Int64(offsetInBatch + contentStart) << 32 | Int64(offsetInBatch + i))
                    }
                    i += 1
                    fields += 1
                    if i < n, base[i] == delimiter {
                        i += 1
                        continue fieldLoop
                    }
                    if i >= n {
                        if !final { break rowLoop }
                        break fieldLoop
                    }
                    if base[i] == newline {
                        i += 1
                        line += 1
                        break fieldLoop
                    }
                    if base[i] == cr, i + 1 < n, base[i + 1] == newline {
                        i += 2
                        line += 1
                        break fieldLoop
                    }
                    if base[i] == cr, i + 1 >= n, !final { break rowLoop }
                    return Result(
                        consumed: committed, lineBreaks: committedLine,
                        failure: Failure(problem: .afterClosingQuote, offset: i, line: line))
                }
                // Unquoted: up to the delimiter or the line end.
                let start = i
                // Eight bytes at a time: the first delimiter, \n or \r in a word is found from
                // the exact zero-byte mask of word ^ broadcast(c), without a byte loop.
                scan: while true {
                    while i + 8 <= n {
                        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        let mask =
                            Self.zeroBytes(word ^ delimiterWord) | Self.zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                            | Self.zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
                        if mask == 0 {
                            i += 8
                            continue
                        }
                        i += mask.trailingZeroBitCount >> 3
                        break
                    }
                    while i < n {
                        let byte = base[i]
                        if byte == delimiter || byte == newline || byte == cr { break }
                        i += 1
                    }
                    // A \r not followed by \n is data.
                    if i < n, base[i] == cr {
                        if i + 1 < n {
                            if base[i + 1] == newline { break scan }
                            i += 1
                            continue scan
                        }
                        if !final { break rowLoop }
                        i += 1
                        continue scan
                    }
                    break scan
                }
                out.append(Int64(offsetInBatch + start) << 32 | Int64(offsetInBatch + i))
                fields += 1
                if i >= n {
                    if !final { break rowLoop }
                    break fieldLoop
                }
                if base[i] == delimiter {
                    i += 1
                    continue fieldLoop
                }
                if base[i] == newline {
                    i += 1
                } else {
                    i += 2
                }
                line += 1
                break fieldLoop
            }
            if columns > 0, fields != columns {
                out.count = fieldsBefore
                return Result(
                    consumed: committed, lineBreaks: committedLine,
                    failure: Failure(problem: .ragged(found: fields), offset: rowStart, line: rowLine))
            }
            if columns == 0 { out.flush(into: &batch) }
            batch.lines.append(Int64(rowLine))
            batch.offsets.append(Int64(rowStart))
            rows += 1
            committed = i
            committedLine = line
            continue rowLoop
        }
        out.flush(into: &batch)
        // An incomplete last row: forget its fields.
        batch.truncate(rows: rowsAtStart + rows)
        return Result(consumed: committed, lineBreaks: committedLine)
    }
}

/// Field bounds being collected by `CSVTokenizer.tokenize`: a growable buffer without the
/// per-append checks of an array.
struct FieldBuffer {
    private var pointer: UnsafeMutablePointer<Int64>
    private var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    @inline(__always)
    mutating func append(_ value: Int64) {
        if count == capacity { grow() }
        pointer[count] = value
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Int64>.allocate(capacity: capacity * 2)
        bigger.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = bigger
        capacity *= 2
    }

    /// Moves the collected fields to the end of `batch.bounds`.
    mutating func flush(into batch: inout RecordBatch.Builder) {
        batch.bounds.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
        count = 0
    }

    func release() {
        pointer.deallocate()
    }
}
