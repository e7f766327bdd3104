// The header grammar: the subset of Python literals numpy writes, checked strictly.
//
//   header    := dict " "* "\n"
//   dict      := "{" ws (entry (ws "," ws entry)* (ws ",")?)? ws "}"
//   entry     := string ws ":" ws value          -- keys 'descr', 'fortran_order', 'shape', once each
//   descr     := string                          -- [<>=|] kind-letter size, e.g. '<f8', '|b1'
//   fortran   := "True" | "False"
//   shape     := "(" ws ")" | "(" ws int ws "," ws ")" | "(" ws int (ws "," ws int)+ (ws ",")? ws ")"
//   string    := "'" [^']* "'" | '"' [^"]* '"'
//   int       := [0-9]+
//   ws        := (" " | "\t")*

extension NumPyArray {
    /// What a `.npy` header says about the array.
    struct Header: Equatable {
        var dtype: DType
        var byteOrder: ByteOrder
        var isFortranOrder: Bool
        var shape: [Int]
        /// The file offset of the shape's `(`, for errors about the size the shape implies.
        var shapeOffset: Int
    }

    /// Reads a header by the grammar at the top of this file, one method per rule; errors name
    /// the file offset of the offending byte.
    struct HeaderParser {
        private let bytes: [UInt8]
        /// The file offset of `bytes[0]`.
        private let fileOffset: Int
        private let isUTF8: Bool
        private let source: String
        private var index = 0
        /// The end of the dict and its padding: the index of the final newline.
        private var end = 0

        /// numpy's limit on the number of axes (`NPY_MAXDIMS` in numpy 2).
        static let maximumAxes = 64

        /// A parser for the header `bytes`, which start at `fileOffset` in the file; `isUTF8` for
        /// format 3.0, whose header is UTF-8 rather than ASCII.
        init(bytes: [UInt8], fileOffset: Int, isUTF8: Bool, source: String) {
            self.bytes = bytes
            self.fileOffset = fileOffset
            self.isUTF8 = isUTF8
            self.source = source
        }

        /// header := dict " "* "\n"
        mutating func header() throws(NumPyError) -> Header {
            guard let last = bytes.last else {
                throw NumPyError(
                    source: source, message: "header: empty; a header is a Python dict ending in a newline",
                    byteOffset: fileOffset)
            }
            if isUTF8, String(validating: bytes, as: UTF8.self) == nil {
                throw failure("not valid UTF-8", at: firstInvalidUTF8Index())
            }
            guard last == UInt8(ascii: "\n") else {
                throw failure("does not end with a newline", at: bytes.count - 1)
            }
            end = bytes.count - 1
            let header = try dict()
            while index < end {
                guard bytes[index] == UInt8(ascii: " ") else {
                    throw failure("unexpected \(found()) after the closing '}'", at: index)
                }
                index += 1
            }
            return header
        }

        /// dict := "{" ws (entry (ws "," ws entry)* (ws ",")?)? ws "}"
        private mutating func dict() throws(NumPyError) -> Header {
            guard peek() == UInt8(ascii: "{") else {
                throw unexpected("'{' at the start")
            }
            index += 1
            skipSpaces()
            var dtype: (DType, ByteOrder)?
            var isFortranOrder: Bool?
            var shape: (axes: [Int], offset: Int)?
            while peek() != UInt8(ascii: "}") {
                let keyOffset = index
                guard peek() == UInt8(ascii: "'") || peek() == UInt8(ascii: "\"") else {
                    throw unexpected("a key ('descr', 'fortran_order' or 'shape') or '}'")
                }
                let key = try string()
                let alreadySeen: Bool
                switch key {
                case "descr": alreadySeen = dtype != nil
                case "fortran_order": alreadySeen = isFortranOrder != nil
                case "shape": alreadySeen = shape != nil
                default:
                    throw failure(
                        "unknown key \(quoted(key))", at: keyOffset,
                        note: "the keys are 'descr', 'fortran_order' and 'shape'")
                }
                if alreadySeen { throw failure("duplicate key '\(key)'", at: keyOffset) }
                skipSpaces()
                guard peek() == UInt8(ascii: ":") else {
                    throw unexpected("':' after '\(key)'")
                }
                index += 1
                skipSpaces()
                switch key {
                case "descr": dtype = try descr()
                case "fortran_order": isFortranOrder = try fortranOrder()
                default: shape = try self.shape()
                }
                skipSpaces()
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    skipSpaces()
                } else if peek() != UInt8(ascii: "}") {
                    throw unexpected("',' or '}' after the value of '\(key)'")
                }
            }
            let closing = index
            index += 1
            guard let dtype else { throw failure("missing key 'descr' in the dict that ends", at: closing) }
            guard let isFortranOrder else {
                throw failure("missing key 'fortran_order' in the dict that ends", at: closing)
            }
            guard let shape else { throw failure("missing key 'shape' in the dict that ends", at: closing) }
            return Header(
                dtype: dtype.0, byteOrder: dtype.1, isFortranOrder: isFortranOrder,
                shape: shape.axes, shapeOffset: fileOffset + shape.offset)
        }

        /// descr := string, then the dtype it names.
        private mutating func descr() throws(NumPyError) -> (DType, ByteOrder) {
            let start = index
            switch peek() {
            case UInt8(ascii: "["):
                throw failure("structured dtypes are not supported ('descr' is a list)", at: start)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                break
            default:
                throw unexpected("a string such as '<f8' for 'descr'")
            }
            let text = try string()
            let utf8 = Array(text.utf8)
            guard utf8.count >= 2, let order = utf8.first, "<>=|".utf8.contains(order) else {
                throw failure("unknown dtype \(quoted(text))", at: start, note: HeaderParser.descrForm)
            }
            let kindLetter = utf8[1]
            let sizeDigits = utf8[2...]
            let size =
                !sizeDigits.isEmpty && sizeDigits.count <= 4 && sizeDigits.allSatisfy { $0 &- 48 < 10 }
                ? sizeDigits.reduce(0) { $0 * 10 + Int($1 - 48) } : -1
            guard let dtype = DType(kindLetter: kindLetter, size: size) else {
                let sizeMatters = "biuf".utf8.contains(kindLetter)
                if let meaning = HeaderParser.unsupportedKinds[kindLetter], size > 0 || !sizeMatters {
                    throw failure(
                        "unsupported dtype \(quoted(text)) (\(meaning(size)))", at: start,
                        note: "readable are bool, int8-int64, uint8-uint64 and float16-float64")
                }
                throw failure("unknown dtype \(quoted(text))", at: start, note: HeaderParser.descrForm)
            }
            switch order {
            case UInt8(ascii: "<"): return (dtype, .little)
            case UInt8(ascii: ">"): return (dtype, .big)
            case UInt8(ascii: "="): return (dtype, .native)
            default:
                // '|' means "byte order does not apply", true only of one-byte types.
                guard dtype.size == 1 else {
                    throw failure(
                        "dtype \(quoted(text)) has no byte order", at: start,
                        note: "'|' is only for one-byte types")
                }
                return (dtype, .native)
            }
        }

        /// How a descr is written, for errors about one that is not.
        private static let descrForm = "a descr is a byte order (<, >, = or |), a kind letter and a size, as in '<f8'"

        /// What numpy's other kind letters hold, by the size in the descr (-1 when it has none).
        private static let unsupportedKinds: [UInt8: @Sendable (Int) -> String] = [
            UInt8(ascii: "b"): { "a \($0)-byte bool" },
            UInt8(ascii: "i"): { "a \($0)-byte integer" },
            UInt8(ascii: "u"): { "a \($0)-byte unsigned integer" },
            UInt8(ascii: "f"): { $0 > 8 ? "extended precision floats" : "a \($0)-byte float" },
            UInt8(ascii: "c"): { _ in "complex numbers" },
            UInt8(ascii: "O"): { _ in "Python objects" },
            UInt8(ascii: "U"): { _ in "unicode strings" },
            UInt8(ascii: "S"): { _ in "byte strings" },
            UInt8(ascii: "a"): { _ in "byte strings" },
            UInt8(ascii: "V"): { _ in "raw bytes" },
            UInt8(ascii: "M"): { _ in "datetime64" },
            UInt8(ascii: "m"): { _ in "timedelta64" },
        ]

        /// fortran := "True" | "False"
        private mutating func fortranOrder() throws(NumPyError) -> Bool {
            let start = index
            while index < end, isIdentifierByte(bytes[index]) { index += 1 }
            switch bytes[start..<index] {
            case ArraySlice("True".utf8): return true
            case ArraySlice("False".utf8): return false
            default:
                index = start
                let got =
                    start < end && isIdentifierByte(bytes[start])
                    ? quoted(text(start..<wordEnd(from: start))) : found()
                throw unexpected("True or False for 'fortran_order'", got: got)
            }
        }

        /// shape := "(" ws ")" | "(" ws int ws "," ws ")" | "(" ws int (ws "," ws int)+ (ws ",")? ws ")"
        private mutating func shape() throws(NumPyError) -> (axes: [Int], offset: Int) {
            let open = index
            guard peek() == UInt8(ascii: "(") else {
                throw unexpected("a tuple such as (3, 4) for 'shape'")
            }
            index += 1
            skipSpaces()
            var axes: [Int] = []
            var endsWithComma = false
            while peek() != UInt8(ascii: ")") {
                if axes.count == HeaderParser.maximumAxes {
                    throw failure("'shape' has more than \(HeaderParser.maximumAxes) axes", at: open)
                }
                axes.append(try axis())
                skipSpaces()
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    skipSpaces()
                    endsWithComma = true
                } else if peek() == UInt8(ascii: ")") {
                    endsWithComma = false
                } else {
                    throw unexpected("',' or ')' in 'shape'")
                }
            }
            if axes.count == 1 && !endsWithComma {
                throw failure("a 1-axis shape needs a trailing comma, (\(axes[0]),) not (\(axes[0])),", at: open)
            }
            index += 1
            return (axes, open)
        }

        /// int := [0-9]+
        private mutating func axis() throws(NumPyError) -> Int {
            let start = index
            if peek() == UInt8(ascii: "-") {
                throw failure("negative axis length in 'shape'", at: start)
            }
            guard let digit = peek(), digit &- 48 < 10 else {
                throw unexpected("an axis length (a non-negative integer) in 'shape'")
            }
            var value = 0
            var overflow = false
            while index < end, bytes[index] &- 48 < 10 {
                if !overflow {
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(Int(bytes[index] - 48))
                    overflow = o1 || o2
                    value = sum
                }
                index += 1
            }
            if overflow {
                let digits = index - start
                let shown = text(start..<min(index, start + 24)) + (digits > 24 ? "…" : "")
                throw failure("axis length \(shown) in 'shape' is too large", at: start)
            }
            if index < end, isIdentifierByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
                index = start
                throw unexpected(
                    "an axis length (a non-negative integer) in 'shape'",
                    got: quoted(text(start..<wordEnd(from: start))))
            }
            return value
        }

        /// string := "'" [^']* "'" | '"' [^"]* '"'; the caller has checked the opening quote.
        private mutating func string() throws(NumPyError) -> String {
            let start = index
            let quote = bytes[index]
            index += 1
            while index < end, bytes[index] != quote { index += 1 }
            guard index < end else {
                throw failure("unterminated string", at: start)
            }
            let value = text(start + 1..<index)
            index += 1
            return value
        }

        // MARK: - Helpers

        private func peek() -> UInt8? { index < end ? bytes[index] : nil }

        private mutating func skipSpaces() {
            while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        }

        private func isIdentifierByte(_ byte: UInt8) -> Bool {
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- 48 < 10 || byte == UInt8(ascii: "_")
        }

        private func wordEnd(from start: Int) -> Int {
            var i = start
            while i < end, isIdentifierByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
            return i
        }

        /// The header bytes in `range` as text (latin-1 bytes in 1.0/2.0 headers become U+FFFD).
        private func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        /// What is at `index`, for "got …": `'x'`, `the end of the header`, `byte 0xE9`.
        private func found() -> String {
            guard index < end else { return "the end of the header" }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"): return "\"'\""
            case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
            case 0x20: return "' '"
            case 0x0A: return "a newline"
            default: return "byte 0x" + String(byte, radix: 16, uppercase: true)
            }
        }

        /// Text from the file in quotes, cut to 40 characters, control characters escaped.
        private func quoted(_ text: String) -> String {
            var shown = ""
            for (count, scalar) in text.unicodeScalars.enumerated() {
                if count == 40 {
                    shown += "…"
                    break
                }
                shown +=
                    scalar.value < 0x20 || scalar.value == 0x7F
                    ? "\\x" + String(scalar.value, radix: 16, uppercase: true) : String(scalar)
            }
            return "'\(shown)'"
        }

        /// Where a header that is not valid UTF-8 goes wrong: the start of the first bad sequence.
        private func firstInvalidUTF8Index() -> Int {
            var i = 0
            while i < bytes.count {
                let length: Int
                switch bytes[i] {
                case 0x00...0x7F: length = 1
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: return i
                }
                guard i + length <= bytes.count,
                    String(validating: bytes[i..<i + length], as: UTF8.self) != nil
                else { return i }
                i += length
            }
            return bytes.count - 1
        }

        /// `header: MESSAGE at byte N`, then `; NOTE` when there is a note.
        private func failure(_ message: String, at index: Int, note: String? = nil) -> NumPyError {
            let offset = fileOffset + index
            let text = "header: \(message) at byte \(offset)" + (note.map { "; \($0)" } ?? "")
            return NumPyError(source: source, message: text, byteOffset: offset)
        }

        /// `header: expected WHAT at byte N; got …`, about the byte at the current index.
        private func unexpected(_ expectation: String, got: String? = nil) -> NumPyError {
            failure("expected \(expectation)", at: index, note: "got \(got ?? found())")
        }
    }
}
