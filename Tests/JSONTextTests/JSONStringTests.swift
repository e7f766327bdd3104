import Testing

@testable import JSONText

@Suite struct JSONStringTests {
    /// Reads the literal at the start of `text`; the content as a string and where reading stopped.
    static func read(_ text: String, end: Int? = nil, _ loneSurrogates: JSONString.LoneSurrogates = .reject)
        -> Result<(content: String, position: Int), JSONString.Error>
    {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { input in
            var position = 0
            do throws(JSONString.Error) {
                let content = try JSONString.read(input, at: &position, end: end ?? input.count, loneSurrogates: loneSurrogates)
                return .success((content.withBytes(in: input) { String(decoding: $0, as: UTF8.self) }, position))
            } catch {
                return .failure(error)
            }
        }
    }

    @Test(arguments: [
        (#""""#, ""),
        (#""plain text""#, "plain text"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""caf\u00e9 \u00E9""#, "café é"),
        (#""\u0000""#, "\u{0}"),
        (#""\ud83d\ude00!""#, "😀!"),
        (#""\uD834\uDD1E""#, "𝄞"),
        (#""\uffff""#, "\u{FFFF}"),
        ("\"é — 😀\"", "é — 😀"),
    ])
    func undoesEscapes(literal: String, expected: String) throws {
        let read = try Self.read(literal).get()
        #expect(read.content == expected)
        #expect(read.position == literal.utf8.count)
    }

    @Test func stopsJustPastTheClosingQuote() throws {
        #expect(try Self.read(#""a\nb", "c""#).get().position == 6)
        #expect(try Self.read(#""ab": 1"#).get().position == 4)
    }

    @Test func contentWithoutEscapesIsASliceOfTheInput() throws {
        let bytes = Array(#""abc" "a\tc""#.utf8)
        try bytes.withUnsafeBufferPointer { input throws in
            var position = 0
            #expect(try JSONString.read(input, at: &position, end: input.count, loneSurrogates: .reject) == .verbatim(1..<4))
            position = 6
            #expect(
                try JSONString.read(input, at: &position, end: input.count, loneSurrogates: .reject)
                    == .unescaped(Array("a\tc".utf8)))
        }
    }

    @Test func loneSurrogatesAreReplacedOrRejected() throws {
        #expect(try Self.read(#""\ud83d""#, .replace).get().content == "\u{FFFD}")
        #expect(try Self.read(#""\ude00x""#, .replace).get().content == "\u{FFFD}x")
        #expect(try Self.read(#""\ud83d\n""#, .replace).get().content == "\u{FFFD}\n")
        #expect(Self.read(#""\ud83d""#, .reject).failure == JSONString.Error(.loneSurrogate, at: 7))
        #expect(Self.read(#""\ude00x""#, .reject).failure == JSONString.Error(.loneSurrogate, at: 7))
    }

    /// Each error and the offset it names, under both surrogate policies.
    @Test(arguments: [
        (#""abc"#, JSONString.Error(.unterminated, at: 4)),
        (#""a\n"#, JSONString.Error(.unterminated, at: 4)),
        (#""abc\"#, JSONString.Error(.unterminatedEscape, at: 5)),
        ("\"a\u{1}b\"", JSONString.Error(.controlCharacter, at: 2)),
        ("\"\\n\u{1F}\"", JSONString.Error(.controlCharacter, at: 3)),
        (#""\x""#, JSONString.Error(.invalidEscape, at: 3)),
        (#""\'""#, JSONString.Error(.invalidEscape, at: 3)),
        (#""\u12""#, JSONString.Error(.truncatedUnicodeEscape, at: 3)),
        (#""\u12g4""#, JSONString.Error(.invalidUnicodeEscape, at: 5)),
        (#""\u+123""#, JSONString.Error(.invalidUnicodeEscape, at: 3)),
        (#""\ud83d\u0041""#, JSONString.Error(.invalidSurrogatePair, at: 13)),
        (#""\ud83d\ud83d""#, JSONString.Error(.invalidSurrogatePair, at: 13)),
        (#""\ud83d\ude0""#, JSONString.Error(.invalidUnicodeEscape, at: 12)),
        (#""\ud83d\u""#, JSONString.Error(.truncatedUnicodeEscape, at: 9)),
    ])
    func reportsWhatIsWrongAndWhere(literal: String, expected: JSONString.Error) {
        #expect(Self.read(literal, .reject).failure == expected)
        #expect(Self.read(literal, .replace).failure == expected)
    }

    @Test func readsNoFurtherThanEnd() {
        // The closing quote is past `end`: a JSON Lines reader stops at the line break.
        #expect(Self.read(#""abc""#, end: 4).failure == JSONString.Error(.unterminated, at: 4))
        #expect(Self.read(#""\u0041""#, end: 6).failure == JSONString.Error(.truncatedUnicodeEscape, at: 3))
        #expect(Self.read(#""\ud83d\ude00""#, end: 12).failure == JSONString.Error(.truncatedUnicodeEscape, at: 9))
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
