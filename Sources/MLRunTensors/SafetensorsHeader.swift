/// The header of a safetensors file, checked against the file's length as strictly as the
/// reference loader (the `safetensors` 0.8.0 package) checks it, and in places more strictly.
///
/// The layout: an 8-byte little-endian header length `n` (at most 100,000,000), `n` bytes of
/// UTF-8 JSON, then the data. The JSON (see ``HeaderJSON`` for the grammar) is an object whose
/// optional `__metadata__` is `null` or an object of strings, and whose every other member is a
/// tensor: `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}`, offsets relative
/// to the data. Unknown keys inside a tensor entry are ignored, as the reference ignores them.
/// Sorted by `data_offsets`, the tensors must start at 0, follow each other without a gap or
/// an overlap, and end exactly at the end of the file; each must hold exactly
/// prod(shape) × bits-per-element / 8 bytes, where that number of bits must be a multiple of 8
/// (F4, F6) and no product may overflow 64 bits.
///
/// Where mlrun is stricter than the reference (which accepts each of these):
/// - a tensor name given twice (the reference keeps the last entry silently), and a
///   `__metadata__` key given twice (the same);
/// - a tensor entry written as an array `["F32", [2], [0, 8]]` or a dtype written as a map
///   `{"F32": null}` (forms serde accepts for a struct and an enum, which no writer produces);
/// - a dimension past 2^63 − 1 in a tensor with no elements (NumPy cannot make it either).
///
/// Errors carry a byte offset in the file: for the header, the offending JSON value; for a
/// tensor's layout, where its data begins (8 + n + begin).
package struct SafetensorsHeader: Sendable {
    /// One tensor's entry, its offsets already checked.
    package struct Entry: Sendable, Equatable {
        package let name: String
        package let dtype: TensorDType
        package let shape: [Int]
        /// The data's bytes, relative to the start of the data (``SafetensorsHeader/dataStart``).
        package let dataRange: Range<Int>
    }

    /// The reference's limit on the header length.
    package static let maximumLength = 100_000_000

    /// The header's length in bytes (`n`).
    package let length: Int
    /// The tensors in offset order (entries with equal offsets, necessarily empty, in header order).
    package let entries: [Entry]
    /// `__metadata__`, or nil when it is absent or `null`.
    package let metadata: [String: String]?

    /// Where the data starts in the file: 8 + ``length``.
    package var dataStart: Int { 8 + length }

    /// Reads and checks the header of the safetensors file `file`; `source` names it in errors.
    package init(parsing file: UnsafeRawBufferPointer, source: String) throws(TensorFileError) {
        func fail(_ message: String, tensor: String? = nil, at offset: Int? = nil) -> TensorFileError {
            TensorFileError(source: source, tensor: tensor, byteOffset: offset, message: message)
        }
        guard file.count >= 8 else {
            throw fail("too short for a safetensors file: \(file.count) bytes, and the header length alone takes 8")
        }
        var declared: UInt64 = 0
        for index in (0..<8).reversed() { declared = declared << 8 | UInt64(file[index]) }
        guard declared <= UInt64(Self.maximumLength) else {
            throw fail("header length \(declared) is over the limit of \(Self.maximumLength) bytes", at: 0)
        }
        let length = Int(declared)
        guard 8 + length <= file.count else {
            throw fail("header length \(length) runs past the end of the file (\(file.count) bytes)", at: 0)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<8 + length]).assumingMemoryBound(to: UInt8.self)
        if let bad = Self.firstInvalidUTF8(headerBytes) {
            throw fail("the header is not valid UTF-8", at: 8 + bad)
        }
        let document: HeaderJSON
        do {
            document = try HeaderJSON.parse(headerBytes)
        } catch {
            throw fail("the header is not valid JSON: \(error.message)", at: 8 + error.offset)
        }
        guard case .object(let members) = document.value else {
            throw fail("the header is \(document.kindDescription), not a JSON object", at: 8 + document.offset)
        }
        var reader = EntryReader(source: source, headerStart: 8)
        for member in members { try reader.read(member) }

        self.length = length
        self.metadata = reader.metadata
        self.entries = try Self.laidOut(reader.entries, dataStart: 8 + length, fileLength: file.count, source: source)
    }

    /// Sorts `raw` by offsets and checks that they tile the data exactly.
    private static func laidOut(_ raw: [EntryReader.RawEntry], dataStart: Int, fileLength: Int, source: String) throws(TensorFileError) -> [Entry] {
        let sorted = raw.enumerated().sorted { ($0.element.begin, $0.element.end, $0.offset) < ($1.element.begin, $1.element.end, $1.offset) }
        let dataLength = UInt64(fileLength - dataStart)
        var entries: [Entry] = []
        entries.reserveCapacity(sorted.count)
        var expected: UInt64 = 0
        var previous: String?
        for (_, entry) in sorted {
            let at = fileOffset(dataStart, entry.begin)
            func fail(_ message: String) -> TensorFileError {
                TensorFileError(source: source, tensor: entry.name, byteOffset: at, message: message)
            }
            let offsets = "data_offsets [\(entry.begin), \(entry.end)]"
            guard entry.end >= entry.begin else { throw fail("\(offsets) end before they begin") }
            if entry.begin > expected {
                let after = previous.map { "tensor '\($0)'" } ?? "the start of the data"
                throw fail("\(offsets) leave a gap of \(entry.begin - expected) bytes after \(after), which ends at data byte \(expected)")
            }
            if entry.begin < expected {
                let before = previous.map { "tensor '\($0)'" } ?? "the previous tensor"
                throw fail("\(offsets) overlap \(before), which ends at data byte \(expected)")
            }
            let shape = "shape \(entry.shape) of \(entry.dtype)"
            var elements: UInt64 = 1
            for dimension in entry.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw fail("\(shape) has more elements than 2^64 − 1") }
                elements = product
            }
            let (bits, overflow) = elements.multipliedReportingOverflow(by: UInt64(entry.dtype.bitWidth))
            guard !overflow else { throw fail("\(shape) takes more bits than 2^64 − 1") }
            guard bits % 8 == 0 else { throw fail("\(shape) takes \(bits) bits, which is not a whole number of bytes") }
            guard entry.end - entry.begin == bits / 8 else {
                throw fail("\(offsets) hold \(entry.end - entry.begin) bytes; \(shape) needs \(bits / 8)")
            }
            guard let dimensions = entry.shape.intShape else {
                throw fail("\(shape) has a dimension past 2^63 − 1 (mlrun's limit; the reference allows one when another is 0)")
            }
            expected = entry.end
            previous = entry.name
            // Past the data's end: caught below, once every entry's layout is known good.
            guard entry.end <= dataLength else { continue }
            entries.append(Entry(name: entry.name, dtype: entry.dtype, shape: dimensions, dataRange: Int(entry.begin)..<Int(entry.end)))
        }
        if expected > dataLength {
            let short = sorted.first { $0.element.end > dataLength }?.element.name
            throw TensorFileError(
                source: source, tensor: short, byteOffset: fileLength,
                message: "the file is truncated: the tensors need \(expected) bytes of data after the header, and the file has \(dataLength)")
        }
        if expected < dataLength {
            throw TensorFileError(
                source: source, byteOffset: dataStart + Int(expected),
                message: "\(dataLength - expected) trailing bytes after the last tensor; the tensors' data_offsets end at data byte \(expected)")
        }
        return entries
    }

    /// `dataStart + begin` as a file offset, or nil when it is past any file.
    private static func fileOffset(_ dataStart: Int, _ begin: UInt64) -> Int? {
        guard begin <= UInt64(Int.max - dataStart) else { return nil }
        return dataStart + Int(begin)
    }

    /// The offset of the first byte that does not begin or continue a valid UTF-8 sequence (as
    /// Rust's `str::from_utf8` defines them: no overlong forms, surrogates or code points past
    /// U+10FFFF), or nil when all of `bytes` is valid.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return index
            }
            guard index + length <= count else { return index }
            // The second byte has the lead's own range; the others are any continuation byte.
            guard (low...high).contains(bytes[index + 1]) else { return index }
            for next in 2..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}

extension [UInt64] {
    /// The dimensions as `Int`, or nil when one is past `Int.max`.
    fileprivate var intShape: [Int]? {
        var dimensions: [Int] = []
        dimensions.reserveCapacity(count)
        for dimension in self {
            guard let value = Int(exactly: dimension) else { return nil }
            dimensions.append(value)
        }
        return dimensions
    }
}
