/// Reads one JSON string literal (RFC 8259 §7) from UTF-8 bytes, undoing its escapes.
///
/// mlrun has two JSON readers that build different things — `JSONValue` documents in MLRunCore
/// and JSON Lines batches in MLRunData — and they must agree on what a string is: the eight
/// one-character escapes, `\uXXXX` with UTF-16 surrogate pairs, no raw control characters.
/// The one place they differ, a `\u` escape of a lone surrogate, is the caller's choice.
package enum JSONString {
    /// A string literal's content.
    package enum Content: Equatable, Sendable {
        /// There were no escapes: the content is these bytes of the input, as they are.
        case verbatim(Range<Int>)
        /// The content with its escapes undone, as UTF-8.
        case unescaped([UInt8])

        /// Calls `body` with the content's bytes; `input` is the buffer it was read from.
        package func withBytes<Result>(
            in input: UnsafeBufferPointer<UInt8>,
            _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
        ) rethrows -> Result {
            switch self {
            case .verbatim(let range): return try body(UnsafeBufferPointer(rebasing: input[range]))
            case .unescaped(let bytes): return try bytes.withUnsafeBufferPointer(body)
            }
        }
    }

    /// What a `\u` escape of a surrogate that is not half of a pair becomes.
    package enum LoneSurrogates: Sendable {
        /// U+FFFD, the replacement character (a Swift string cannot hold a lone surrogate).
        case replace
        /// A ``JSONString/Error/Kind/loneSurrogate`` error.
        case reject
    }

    /// Why a string literal could not be read, and where.
    package struct Error: Swift.Error, Equatable, Sendable {
        /// What went wrong; each caller words it in its own messages.
        package enum Kind: Equatable, Sendable {
            /// The input ends before the closing quote.
            case unterminated
            /// The input ends right after a backslash.
            case unterminatedEscape
            /// A byte below 0x20, which JSON allows only escaped.
            case controlCharacter
            /// A backslash followed by something other than `" \ / b f n r t u`.
            case invalidEscape
            /// Fewer than four bytes left after `\u`.
            case truncatedUnicodeEscape
            /// One of the four bytes after `\u` is not a hexadecimal digit.
            case invalidUnicodeEscape
            /// A high surrogate followed by a `\u` escape that is not a low surrogate.
            case invalidSurrogatePair
            /// A surrogate that is not half of a pair, under ``LoneSurrogates/reject``.
            case loneSurrogate
        }

        package var kind: Kind
        /// The offset in the input where it was found: the offending byte, or just past the
        /// escape, or `end` when the input ran out.
        package var offset: Int

        package init(_ kind: Kind, at offset: Int) {
            self.kind = kind
            self.offset = offset
        }
    }

    /// Reads the string literal whose opening quote is at `input[position]`, looking no further
    /// than `end`; on return `position` is just past the closing quote.
    package static func read(
        _ input: UnsafeBufferPointer<UInt8>, at position: inout Int, end: Int,
        loneSurrogates: LoneSurrogates
    ) throws(Error) -> Content {
        position += 1
        let start = position
        // Most strings have no escape: their content is a slice of the input.
        while position < end {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .verbatim(start..<position - 1)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw Error(.controlCharacter, at: position) }
            position += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: input[start..<position]))
        while position < end {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .unescaped(out)
            }
            if byte < 0x20 { throw Error(.controlCharacter, at: position) }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < end else { throw Error(.unterminatedEscape, at: position) }
            let escape = input[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape(input, at: &position, end: end, loneSurrogates: loneSurrogates)
                UTF8.encode(scalar) { out.append($0) }
            default:
                throw Error(.invalidEscape, at: position)
            }
        }
        throw Error(.unterminated, at: position)
    }

    /// The scalar of a `\u` escape whose four digits start at `position`, joined with the low
    /// surrogate's escape that follows a high one.
    private static func unicodeEscape(
        _ input: UnsafeBufferPointer<UInt8>, at position: inout Int, end: Int,
        loneSurrogates: LoneSurrogates
    ) throws(Error) -> Unicode.Scalar {
        var code = try hex4(input, at: &position, end: end)
        if (0xD800..<0xDC00).contains(code), position + 1 < end,
            input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u")
        {
            position += 2
            let low = try hex4(input, at: &position, end: end)
            guard (0xDC00..<0xE000).contains(low) else { throw Error(.invalidSurrogatePair, at: position) }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        // Only a surrogate (0xD800...0xDFFF) is not a scalar here: four digits reach 0xFFFF, a pair 0x10FFFF.
        if let scalar = Unicode.Scalar(code) { return scalar }
        switch loneSurrogates {
        case .replace: return "\u{FFFD}"
        case .reject: throw Error(.loneSurrogate, at: position)
        }
    }

    /// Four hexadecimal digits from `position`.
    private static func hex4(_ input: UnsafeBufferPointer<UInt8>, at position: inout Int, end: Int) throws(Error) -> UInt32 {
        guard position + 4 <= end else { throw Error(.truncatedUnicodeEscape, at: position) }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Error(.invalidUnicodeEscape, at: position)
            }
            code = code * 16 + UInt32(digit)
            position += 1
        }
        return code
    }
}
