import MLRunCore
import Testing

@Suite struct JSONValueTests {
    @Test func keepsIntegersDoublesAndBooleansApart() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": 1.0, "c": true, "d": null, "e": -0, "f": 1e2, "g": [1, "x"]}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(1.0))
        #expect(value["c"] == .bool(true))
        #expect(value["d"] == .null)
        #expect(value["e"] == .int(0))
        #expect(value["f"] == .double(100))
        #expect(value["g"] == .array([.int(1), .string("x")]))
    }

    @Test func keepsKeyOrderAndRoundTrips() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"x":"y\n\"q\" \\ é 😀"},"d":0.1}"#
        let value = try JSONValue.parse(text)
        #expect(value.jsonText == text)
        #expect(try JSONValue.parse(value.prettyJSONText) == value)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\u00e9\ud83d\ude00\t\/""#) == .string("é😀\t/"))
    }

    @Test func replacesLoneSurrogatesWithTheReplacementCharacter() throws {
        #expect(try JSONValue.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try JSONValue.parse(#"["\ude00x", "\ud83d\n"]"#) == .array([.string("\u{FFFD}x"), .string("\u{FFFD}\n")]))
    }

    /// A malformed string's message and the 1-based byte column it names.
    @Test(arguments: [
        (#""abc"#, 5, "unterminated string"),
        (#""ab\"#, 5, "unterminated string"),
        ("\"a\u{1}\"", 3, "control character in a string"),
        (#""\x""#, 4, "invalid escape"),
        (#"["\x"]"#, 5, "invalid escape"),
        (#""\u12""#, 4, "truncated \\u escape"),
        (#""\u12g4""#, 6, "invalid \\u escape"),
        (#""\ud83d\u0041""#, 14, "invalid surrogate pair"),
    ])
    func namesTheColumnOfAMalformedString(text: String, column: Int, message: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(error?.column == column)
        #expect(error?.message == message)
    }

    @Test func doublesRoundTripExactly() throws {
        for x in [0.1, 1.0 / 3.0, 2.2250738585072014e-308, 1.7976931348623157e308, 5e-324, 0.9312] {
            let text = JSONValue.double(x).jsonText
            #expect(try JSONValue.parse(text) == .double(x))
        }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"abc", "\"\u{01}\"", "{} x", "[1 2]", "-", "\"\\x\""])
    func rejectsMalformedText(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func writesNonFiniteNumbersAsStrings() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity), .double(-.infinity)]).jsonText == #"["NaN","Infinity","-Infinity"]"#)
    }
}
