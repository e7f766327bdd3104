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
