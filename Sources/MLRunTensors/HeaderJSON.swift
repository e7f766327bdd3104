#if canImport(JSONText)
import JSONText
#endif

/// A JSON document as a safetensors header holds it, read as strictly as the reference loader
/// (serde_json 1.x under safetensors 0.8.0) reads it.
///
/// The grammar is RFC 8259's, with serde_json's limits:
///
///     document = ws value ws                      (ws: space, tab, LF, CR; nothing else may follow)
///     value    = object | array | string | number | "true" | "false" | "null"
///     object   = "{" ws [ string ws ":" ws value ws *( "," ws string ws ":" ws value ws ) ] "}"
///     array    = "[" ws [ value ws *( "," ws value ws ) ] "]"
///     number   = [ "-" ] ( "0" | [1-9] *digit ) [ "." 1*digit ] [ ( "e" | "E" ) [ "+" | "-" ] 1*digit ]
///
/// - Objects and arrays nest at most ``maximumDepth`` deep (serde_json's recursion limit: the
///   reference accepts 127 levels and rejects 128).
/// - A number whose value overflows a double (`1e999`) is rejected ("number out of range").
/// - Strings: escapes as RFC 8259, no raw control characters, no lone surrogates (``JSONString``
///   with `.reject`). The input must be valid UTF-8, which the caller checks first.
/// - Duplicate keys are kept, in order, so the caller decides what they mean.
package struct HeaderJSON: Sendable {
    /// What a value is.
    package indirect enum Value: Sendable {
        /// Members in input order, duplicates included.
        case object([Member])
        case array([HeaderJSON])
        case string(String)
        /// A number written as a non-negative integer that fits 64 bits (what Rust's `usize` takes).
        case unsigned(UInt64)
        /// Any other number: negative, with a fraction or an exponent, or past 2^64 − 1.
        case otherNumber(String)
        case bool(Bool)
        case null
    }

    /// One `"key": value` of an object.
    package struct Member: Sendable {
        package let key: String
        /// Where the key's opening quote is in the input.
        package let keyOffset: Int
        package let value: HeaderJSON
    }

    /// Why the input is not JSON the reference reads, and where.
    package struct Error: Swift.Error, Equatable, Sendable {
        package let message: String
        /// The offset in the input of the offending byte (the input's length when it ran out).
        package let offset: Int
    }

    /// serde_json's default recursion limit: an object or array may open at most this many levels.
    package static let maximumDepth = 127

    package let value: Value
    /// Where the value starts in the input.
    package let offset: Int

    /// Parses `input` as one JSON document.
    package static func parse(_ input: UnsafeBufferPointer<UInt8>) throws(Error) -> HeaderJSON {
        var parser = Parser(input: input)
        parser.skipWhitespace()
        let document = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == input.count else { throw parser.error("trailing characters after the JSON value") }
        return document
    }

    /// A short name of the value's type, for messages ("an array", "the number 5").
    package var kindDescription: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string(let text): "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .unsigned(let number): "the number \(number)"
        case .otherNumber(let text): "the number \(text)"
        case .bool(let flag): "\(flag)"
        case .null: "null"
        }
    }
}

/// One pass over the input; one method per grammar rule.
private struct Parser {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0

    init(input: UnsafeBufferPointer<UInt8>) { self.input = input }

    func error(_ message: String, at offset: Int? = nil) -> HeaderJSON.Error {
        HeaderJSON.Error(message: message, offset: offset ?? position)
    }

    /// What the next byte is, for "expected X; got Y" messages.
    var found: String {
        guard position < input.count else { return "end of header" }
        let byte = input[position]
        return (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// value = object | array | string | number | true | false | null
    mutating func value(depth: Int) throws(HeaderJSON.Error) -> HeaderJSON {
        let start = position
        guard position < input.count else { throw error("expected a value; got end of header") }
        switch input[position] {
        case UInt8(ascii: "{"): return HeaderJSON(value: try object(depth: depth + 1), offset: start)
        case UInt8(ascii: "["): return HeaderJSON(value: try array(depth: depth + 1), offset: start)
        case UInt8(ascii: "\""): return HeaderJSON(value: .string(try string()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return HeaderJSON(value: try number(), offset: start)
        case UInt8(ascii: "t"): return HeaderJSON(value: try literal("true", .bool(true)), offset: start)
        case UInt8(ascii: "f"): return HeaderJSON(value: try literal("false", .bool(false)), offset: start)
        case UInt8(ascii: "n"): return HeaderJSON(value: try literal("null", .null), offset: start)
        default: throw error("expected a value; got \(found)")
        }
    }

    /// object = "{" [ member *( "," member ) ] "}"
    mutating func object(depth: Int) throws(HeaderJSON.Error) -> HeaderJSON.Value {
        guard depth <= HeaderJSON.maximumDepth else { throw error("nested deeper than \(HeaderJSON.maximumDepth) levels") }
        position += 1
        var members: [HeaderJSON.Member] = []
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "\"") else { throw error("expected a key string; got \(found)") }
            let keyOffset = position
            let key = try string()
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: ":") else { throw error("expected ':'; got \(found)") }
            position += 1
            skipWhitespace()
            members.append(HeaderJSON.Member(key: key, keyOffset: keyOffset, value: try value(depth: depth)))
            skipWhitespace()
            guard position < input.count else { throw error("expected ',' or '}'; got end of header") }
            switch input[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw error("expected ',' or '}'; got \(found)")
            }
        }
    }

    /// array = "[" [ value *( "," value ) ] "]"
    mutating func array(depth: Int) throws(HeaderJSON.Error) -> HeaderJSON.Value {
        guard depth <= HeaderJSON.maximumDepth else { throw error("nested deeper than \(HeaderJSON.maximumDepth) levels") }
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard position < input.count else { throw error("expected ',' or ']'; got end of header") }
            switch input[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default: throw error("expected ',' or ']'; got \(found)")
            }
        }
    }

    /// string = '"' *( char | escape ) '"', through ``JSONString``.
    mutating func string() throws(HeaderJSON.Error) -> String {
        let content: JSONString.Content
        do {
            content = try JSONString.read(input, at: &position, end: input.count, loneSurrogates: .reject)
        } catch {
            let what =
                switch error.kind {
                case .unterminated: "a string is not closed"
                case .unterminatedEscape, .truncatedUnicodeEscape: "a string ends inside an escape"
                case .controlCharacter: "a raw control character in a string (JSON allows only escaped ones)"
                case .invalidEscape: "an invalid escape in a string"
                case .invalidUnicodeEscape: "an invalid \\u escape in a string"
                case .invalidSurrogatePair, .loneSurrogate: "a \\u escape of a lone surrogate in a string"
                }
            throw self.error(what, at: error.offset)
        }
        return content.withBytes(in: input) { String(decoding: $0, as: UTF8.self) }
    }

    /// number = [ "-" ] int [ frac ] [ exp ]
    mutating func number() throws(HeaderJSON.Error) -> HeaderJSON.Value {
        let start = position
        var isPlainInteger = true
        if input[position] == UInt8(ascii: "-") {
            isPlainInteger = false
            position += 1
        }
        guard position < input.count, isDigit(input[position]) else { throw error("invalid number: expected a digit; got \(found)") }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < input.count, isDigit(input[position]) { throw error("invalid number: a leading zero") }
        } else {
            skipDigits()
        }
        if position < input.count, input[position] == UInt8(ascii: ".") {
            isPlainInteger = false
            position += 1
            guard position < input.count, isDigit(input[position]) else { throw error("invalid number: expected a digit after '.'; got \(found)") }
            skipDigits()
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            isPlainInteger = false
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") { position += 1 }
            guard position < input.count, isDigit(input[position]) else { throw error("invalid number: expected an exponent digit; got \(found)") }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        if isPlainInteger, let unsigned = UInt64(text) { return .unsigned(unsigned) }
        // serde_json reads any other number as a double and rejects one that overflows.
        guard let double = Double(text), double.isFinite else { throw error("number out of range: \(text)", at: start) }
        return .otherNumber(text)
    }

    mutating func literal(_ word: StaticString, _ value: HeaderJSON.Value) throws(HeaderJSON.Error) -> HeaderJSON.Value {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in bytes {
            guard position < input.count, input[position] == byte else { throw error("expected '\(word)'; got \(found)") }
            position += 1
        }
        return value
    }

    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    mutating func skipDigits() {
        while position < input.count, isDigit(input[position]) { position += 1 }
    }
}
