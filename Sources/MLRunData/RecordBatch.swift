/// Rows read from a table file, as the raw bytes of each field and where each row came from.
///
/// A batch is valid only inside the callback it is handed to: its fields point into the
/// reader's block buffer, which is reused afterwards. Fields are stored row by row
/// (`columnCount` per row). A field is either a span of bytes (for a quoted CSV field, the
/// text between the quotes with doubled quotes undone) or absent (a JSON Lines row without
/// that key, or a JSON `null`), which checks treat as null. Batches are immutable (built by
/// `RecordBatch.Builder`), so reading them from several threads needs no locks.
package final class RecordBatch: @unchecked Sendable {
    /// Fields per row.
    package let columnCount: Int
    /// The bytes fields point into (not owned).
    @usableFromInline let base: UnsafePointer<UInt8>
    /// How many bytes of `base` belong to this batch; offsets at or past it point into `extra`.
    @usableFromInline let baseCount: Int
    /// Unescaped quoted fields and other bytes that are not in `base` (owned).
    @usableFromInline let extra: UnsafeMutableBufferPointer<UInt8>
    /// Per field: `start << 32 | end`, offsets into `base` (or `extra`, shifted by `baseCount`);
    /// `-1` for an absent field. Immutable, so reading it needs no exclusivity checks.
    @usableFromInline let bounds: [Int64]
    /// Per row: the 1-based line it starts on.
    package let lines: [Int64]
    /// Per row: the byte offset in the file where it starts.
    package let offsets: [Int64]
    /// The number of rows.
    package let rowCount: Int

    init(_ builder: Builder) {
        columnCount = builder.columnCount
        base = builder.base
        baseCount = builder.baseCount
        extra = .allocate(capacity: max(1, builder.extra.count))
        _ = extra.initialize(from: builder.extra)
        bounds = builder.bounds
        lines = builder.lines
        offsets = builder.offsets
        rowCount = builder.lines.count
    }

    deinit {
        extra.deallocate()
    }

    /// The bytes of a field, or nil when it is absent (never for CSV). Inlinable: the checks
    /// call it once per field.
    @inlinable @inline(__always)
    package func field(row: Int, column: Int) -> UnsafeBufferPointer<UInt8>? {
        let packed = bounds[row &* columnCount &+ column]
        if packed < 0 { return nil }
        let start = Int(truncatingIfNeeded: packed >> 32), end = Int(truncatingIfNeeded: packed & 0xFFFF_FFFF)
        if start < baseCount { return UnsafeBufferPointer(start: base + start, count: end &- start) }
        return UnsafeBufferPointer(start: UnsafePointer(extra.baseAddress!) + (start &- baseCount), count: end &- start)
    }

    /// Whether row `row`, column `column` is absent (never the case for CSV).
    @inlinable @inline(__always)
    package func isAbsent(row: Int, column: Int) -> Bool {
        bounds[row &* columnCount &+ column] < 0
    }

    /// Calls `body` with the bytes of a field (empty for an absent one).
    @inline(__always)
    package func withField<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(field(row: row, column: column) ?? UnsafeBufferPointer(start: base, count: 0))
    }

    /// A field as a `String` (invalid UTF-8 repaired), for messages and samples.
    package func string(row: Int, column: Int) -> String {
        field(row: row, column: column).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The `index`-th field of the batch as a `String`, whatever the row width (the header).
    func fieldString(at index: Int) -> String {
        let packed = bounds[index]
        let start = Int(packed >> 32), end = Int(packed & 0xFFFF_FFFF)
        if start < baseCount { return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: extra[(start - baseCount)..<(end - baseCount)]), as: UTF8.self)
    }

    /// A batch under construction, as plain arrays (fast to append to, then frozen once).
    struct Builder {
        let columnCount: Int
        let base: UnsafePointer<UInt8>
        let baseCount: Int
        var extra: [UInt8] = []
        var bounds: [Int64] = []
        var lines: [Int64] = []
        var offsets: [Int64] = []

        init(columnCount: Int, base: UnsafePointer<UInt8>, baseCount: Int, expectedRows: Int = 0) {
            self.columnCount = columnCount
            self.base = base
            self.baseCount = baseCount
            if expectedRows > 0 {
                bounds.reserveCapacity(expectedRows * max(1, columnCount))
                lines.reserveCapacity(expectedRows)
                offsets.reserveCapacity(expectedRows)
            }
        }

        var rowCount: Int { lines.count }

        @inline(__always)
        mutating func appendField(start: Int, end: Int) {
            bounds.append(Int64(start) << 32 | Int64(end))
        }

        /// Appends bytes to `extra` and a field pointing at them.
        mutating func appendExtraField(_ bytes: UnsafeBufferPointer<UInt8>) {
            let start = baseCount + extra.count
            extra.append(contentsOf: bytes)
            appendField(start: start, end: baseCount + extra.count)
        }

        /// Points field slot `index` (already allocated, absent) at a copy of `bytes` in `extra`.
        mutating func setExtraField(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
            let start = baseCount + extra.count
            extra.append(contentsOf: bytes)
            bounds[index] = Int64(start) << 32 | Int64(baseCount + extra.count)
        }

        /// Removes everything after the first `rows` rows.
        mutating func truncate(rows: Int) {
            guard columnCount > 0 else { return }
            if rows < lines.count {
                lines.removeSubrange(rows...)
                offsets.removeSubrange(rows...)
            }
            if rows * columnCount < bounds.count { bounds.removeSubrange((rows * columnCount)...) }
        }

        /// Adds `lineDelta` to every row's line and `offsetDelta` to every offset.
        mutating func shift(lines lineDelta: Int64, offsets offsetDelta: Int64) {
            if lineDelta != 0 { for i in lines.indices { lines[i] += lineDelta } }
            if offsetDelta != 0 { for i in offsets.indices { offsets[i] += offsetDelta } }
        }

        /// The `index`-th field as a `String` (the header, before the batch is frozen).
        func fieldString(at index: Int) -> String {
            let packed = bounds[index]
            let start = Int(packed >> 32), end = Int(packed & 0xFFFF_FFFF)
            if start < baseCount { return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self) }
            return String(decoding: extra[(start - baseCount)..<(end - baseCount)], as: UTF8.self)
        }
    }
}
