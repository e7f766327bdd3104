import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a CSV file with a header row as a stream of `RecordBatch`es, in constant memory.
///
/// The file is read a block at a time (`CSVOptions.blockSize`). Each block is cut in two
/// after a line break near its middle; both halves are tokenized and handed to `work` on two
/// threads at once. The second half is read on the guess that the cut is not inside a quoted
/// field; the first half's end state checks the guess, and a wrong guess (a quoted line break
/// right at the cut) makes the block be read again on one thread. UTF-8 is checked (a leading
/// BOM is skipped); problems are `DataError`s with the line and column.
package final class CSVReader {
    /// The file as named in messages.
    package let displayPath: String
    /// The column names from the header row.
    package private(set) var header: [String]
    let options: CSVOptions
    let descriptor: Int32
    /// The block, and how much of it holds unread bytes after the header.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled: Int
    private var endOfFile = false
    /// The whole file mapped read-only (regular files), or nil: then blocks are read into
    /// `buffer`. Mapped, a block is a window of the mapping: no copy, no carried-over tail.
    private var mapping: UnsafeMutableRawPointer?
    private var mappedSize = 0
    /// The start of the mapping not yet handed back with MADV_DONTNEED.
    private var released = 0
    /// Where `buffer[0]` is in the file, and its 1-based line.
    private var fileOffset: Int64
    private var line: Int64

    /// Opens `path` and reads its header.
    package init(path: String, displayPath: String, options: CSVOptions = CSVOptions()) throws(DataError) {
        self.displayPath = displayPath
        self.options = options
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DataError(file: displayPath, "cannot open: \(String(cString: strerror(errno)))")
        }
        capacity = options.blockSize
        var status = stat()
        if options.mapFile, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0,
            let mapped = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED
        {
            _ = madvise(mapped, Int(status.st_size), MADV_SEQUENTIAL)
            mapping = mapped
            mappedSize = Int(status.st_size)
            buffer = mapped.assumingMemoryBound(to: UInt8.self)
        } else {
            buffer = .allocate(capacity: capacity)
        }
        filled = 0
        fileOffset = 0
        line = 1
        header = []
        // Every stored property is set: on a throw from here on, deinit closes and frees.
        try fill()
        // A UTF-8 byte-order mark is not part of the first column's name.
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            discard(3, lineBreaks: 0)
        }
        header = try readHeader()
    }

    deinit {
        close(descriptor)
        if let mapping {
            munmap(mapping, mappedSize)
        } else {
            buffer.deallocate()
        }
    }

    /// Reads the rest of the file: `work` runs on each batch (on up to two threads at once,
    /// so it must not touch shared state), then `consume` gets the batch and what `work`
    /// returned, on the calling thread, in file order.
    package func read<Partial>(
        work: @Sendable (RecordBatch) -> Partial,
        consume: (RecordBatch, Partial) -> Void
    ) throws(DataError) {
        let tokenizer = CSVTokenizer(delimiter: options.delimiter, columns: header.count)
        while true {
            try fill()
            if filled == 0 { return }
            let span = UnsafeBufferPointer(start: UnsafePointer(buffer), count: filled)
            let parts = try tokenizeBlock(span, tokenizer: tokenizer, work: work)
            if parts.consumed == 0 && !endOfFile {
                grow()
                continue
            }
            for part in parts.batches { consume(part.batch, part.partial) }
            discard(parts.consumed, lineBreaks: parts.lineBreaks)
            if endOfFile && filled == 0 { return }
        }
    }

    // MARK: blocks

    private struct Part<Partial> {
        var batch: RecordBatch
        var partial: Partial
    }

    private struct BlockResult<Partial> {
        var batches: [Part<Partial>]
        var consumed: Int
        var lineBreaks: Int
    }

    /// One half's outcome, written by its thread.
    fileprivate final class Half<Partial>: @unchecked Sendable {
        var result = CSVTokenizer.Result(consumed: 0, lineBreaks: 0)
        var batch: RecordBatch?
        var partial: Partial?
        var linesBefore = 0
        var invalidUTF8: Int?
    }

    private func tokenizeBlock<Partial>(
        _ span: UnsafeBufferPointer<UInt8>, tokenizer: CSVTokenizer,
        work: @Sendable (RecordBatch) -> Partial
    ) throws(DataError) -> BlockResult<Partial> {
        let final = endOfFile
        let cut = options.parallel && span.count >= options.minimumParallelSpan ? Self.cut(span) : nil
        guard let cut else {
            return try tokenizeWhole(span, tokenizer: tokenizer, final: final, work: work)
        }
        let first = Half<Partial>(), second = Half<Partial>()
        let lineOfBlock = line, offsetOfBlock = fileOffset
        let sendableSpan = SendableSpan(span)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let span = sendableSpan.value
            if index == 0 {
                let piece = UnsafeBufferPointer(rebasing: span[0..<cut])
                first.run(piece, tokenizer: tokenizer, final: false, lineBase: lineOfBlock, offsetBase: offsetOfBlock, work: work)
            } else {
                second.linesBefore = Self.lineBreaks(in: UnsafeBufferPointer(rebasing: span[0..<cut]))
                let piece = UnsafeBufferPointer(rebasing: span[cut...])
                second.run(
                    piece, tokenizer: tokenizer, final: final, lineBase: lineOfBlock + Int64(second.linesBefore),
                    offsetBase: offsetOfBlock + Int64(cut), work: work)
            }
        }
        try check(first, in: span, from: 0)
        guard first.result.consumed == cut, let firstBatch = first.batch, let firstPartial = first.partial else {
            // The cut fell inside a quoted field: read the block again in one piece.
            return try tokenizeWhole(span, tokenizer: tokenizer, final: final, work: work)
        }
        try check(second, in: span, from: cut)
        var parts = [Part(batch: firstBatch, partial: firstPartial)]
        if let batch = second.batch, let partial = second.partial { parts.append(Part(batch: batch, partial: partial)) }
        return BlockResult(
            batches: parts, consumed: cut + second.result.consumed,
            lineBreaks: first.result.lineBreaks + second.result.lineBreaks)
    }

    private func tokenizeWhole<Partial>(
        _ span: UnsafeBufferPointer<UInt8>, tokenizer: CSVTokenizer, final: Bool,
        work: @Sendable (RecordBatch) -> Partial
    ) throws(DataError) -> BlockResult<Partial> {
        let half = Half<Partial>()
        half.run(span, tokenizer: tokenizer, final: final, lineBase: line, offsetBase: fileOffset, work: work)
        try check(half, in: span, from: 0)
        guard let batch = half.batch, let partial = half.partial else {
            return BlockResult(batches: [], consumed: half.result.consumed, lineBreaks: half.result.lineBreaks)
        }
        return BlockResult(
            batches: [Part(batch: batch, partial: partial)], consumed: half.result.consumed,
            lineBreaks: half.result.lineBreaks)
    }

    /// Throws the half's problem, placed in the file; `from` is where the half starts in `span`.
    private func check<Partial>(_ half: Half<Partial>, in span: UnsafeBufferPointer<UInt8>, from start: Int) throws(DataError) {
        let linesBefore = Int64(half.linesBefore)
        var problems: [(offset: Int, line: Int64, message: String)] = []
        if let failure = half.result.failure {
            let message: String
            switch failure.problem {
            case .ragged(let found):
                message = "expected \(header.count) field\(header.count == 1 ? "" : "s") (as in the header), found \(found)"
            case .unterminatedQuote:
                message = "unterminated quoted field (it starts here and never ends)"
            case .afterClosingQuote:
                message = "unexpected character after a closing quote (a quoted field must end at a delimiter or a line end)"
            }
            problems.append((start + failure.offset, line + linesBefore + Int64(failure.line), message))
        }
        if let bad = half.invalidUTF8 {
            let before = Self.lineBreaks(in: UnsafeBufferPointer(rebasing: span[start..<(start + bad)]))
            problems.append(
                (start + bad, line + linesBefore + Int64(before), "invalid UTF-8 byte 0x\(String(span[start + bad], radix: 16, uppercase: true))"))
        }
        guard let first = problems.min(by: { $0.offset < $1.offset }) else { return }
        throw DataError(file: displayPath, line: first.line, column: Self.column(of: first.offset, in: span), first.message)
    }

    /// An offset just after a line break near the middle of `span`, or nil.
    private static func cut(_ span: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = span.count / 2
        while i < span.count {
            if span[i] == UInt8(ascii: "\n") { return i + 1 < span.count ? i + 1 : nil }
            i += 1
        }
        return nil
    }

    // MARK: the buffer

    /// Reads until the block is full or the file ends.
    private func fill() throws(DataError) {
        if let mapping {
            buffer = (mapping + Int(fileOffset)).assumingMemoryBound(to: UInt8.self)
            filled = min(capacity, mappedSize - Int(fileOffset))
            endOfFile = Int(fileOffset) + filled >= mappedSize
            return
        }
        while filled < capacity, !endOfFile {
            let count = Glibc.read(descriptor, buffer + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw DataError(file: displayPath, "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { endOfFile = true }
            filled += count
        }
    }

    /// Drops the first `count` bytes of the block.
    private func discard(_ count: Int, lineBreaks: Int) {
        if let mapping {
            fileOffset += Int64(count)
            line += Int64(lineBreaks)
            filled -= count
            buffer += count
            // Read pages leave this process's memory (they stay in the page cache), so the
            // resident size does not grow with the file.
            let done = Int(fileOffset) / 65_536 * 65_536
            if done - released >= 8 << 20 {
                _ = madvise(mapping + released, done - released, MADV_DONTNEED)
                released = done
            }
            return
        }
        if count < filled { memmove(buffer, buffer + count, filled - count) }
        filled -= count
        fileOffset += Int64(count)
        line += Int64(lineBreaks)
    }

    /// Doubles the block, for a row longer than it.
    private func grow() {
        if mapping != nil {
            capacity *= 2
            return
        }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }

    private func readHeader() throws(DataError) -> [String] {
        let tokenizer = CSVTokenizer(delimiter: options.delimiter, columns: 0)
        while true {
            let span = UnsafeBufferPointer(start: UnsafePointer(buffer), count: filled)
            var batch = RecordBatch.Builder(columnCount: 0, base: span.baseAddress ?? UnsafePointer(buffer), baseCount: filled)
            let result = tokenizer.tokenize(span, final: endOfFile, into: &batch, maxRows: 1)
            if let failure = result.failure {
                throw DataError(
                    file: displayPath, line: line + Int64(failure.line), column: Self.column(of: failure.offset, in: span),
                    "header: unterminated quoted field")
            }
            if batch.rowCount == 0 {
                if endOfFile { throw DataError(file: displayPath, line: 1, "the file is empty: a header row is needed") }
                if filled == capacity { grow() }
                try fill()
                continue
            }
            if let bad = Self.firstInvalidUTF8(UnsafeBufferPointer(rebasing: span[0..<result.consumed])) {
                throw DataError(
                    file: displayPath, line: 1 + Int64(Self.lineBreaks(in: UnsafeBufferPointer(rebasing: span[0..<bad]))),
                    column: Self.column(of: bad, in: span), "invalid UTF-8 byte 0x\(String(span[bad], radix: 16, uppercase: true))")
            }
            let names = (0..<batch.bounds.count).map { batch.fieldString(at: $0) }
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted {
                throw DataError(file: displayPath, line: line, "header: column '\(name)' appears twice")
            }
            discard(result.consumed, lineBreaks: result.lineBreaks)
            return names
        }
    }
}

/// A span handed to the two tokenizing threads, which only read it.
private struct SendableSpan: @unchecked Sendable {
    let value: UnsafeBufferPointer<UInt8>
    init(_ value: UnsafeBufferPointer<UInt8>) { self.value = value }
}

extension CSVReader.Half {
    /// Tokenizes `piece`, checks its UTF-8, places its rows in the file, and runs `work`.
    func run(
        _ piece: UnsafeBufferPointer<UInt8>, tokenizer: CSVTokenizer, final: Bool, lineBase: Int64, offsetBase: Int64,
        work: @Sendable (RecordBatch) -> Partial
    ) {
        guard let base = piece.baseAddress else { return }
        var builder = RecordBatch.Builder(
            columnCount: tokenizer.columns, base: base, baseCount: piece.count,
            expectedRows: piece.count / 64)
        result = tokenizer.tokenize(piece, final: final, into: &builder)
        invalidUTF8 = CSVReader.firstInvalidUTF8(UnsafeBufferPointer(rebasing: piece[0..<result.consumed]))
        guard result.failure == nil, invalidUTF8 == nil, builder.rowCount > 0 else { return }
        builder.shift(lines: lineBase, offsets: offsetBase)
        let batch = RecordBatch(builder)
        self.batch = batch
        partial = work(batch)
    }
}

extension CSVReader {
    /// The fields of the row that starts at byte `offset` of the file (for showing a sampled
    /// row after the pass), or nil when it cannot be read back.
    package func fields(atOffset offset: Int64, window: Int = 1 << 20) -> [String]? {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: window)
        defer { buffer.deallocate() }
        let count = pread(descriptor, buffer, window, off_t(offset))
        guard count > 0 else { return nil }
        let span = UnsafeBufferPointer(start: UnsafePointer(buffer), count: count)
        var builder = RecordBatch.Builder(columnCount: header.count, base: UnsafePointer(buffer), baseCount: count)
        let tokenizer = CSVTokenizer(delimiter: options.delimiter, columns: header.count)
        _ = tokenizer.tokenize(span, final: true, into: &builder, maxRows: 1)
        guard builder.rowCount == 1 else { return nil }
        let batch = RecordBatch(builder)
        return (0..<header.count).map { batch.string(row: 0, column: $0) }
    }
}
