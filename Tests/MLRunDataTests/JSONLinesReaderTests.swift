import Foundation
import Testing

@testable import MLRunData

@Suite struct JSONLinesReaderTests {
    /// Reads `text` as a JSON Lines file: columns `a` and `b` of every row (nil when absent).
    static func read(_ text: String) throws(DataError) -> [[String?]] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-jsonl-\(UUID().uuidString).jsonl")
        try? Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = JSONLinesReader(path: url.path, displayPath: "t.jsonl", columns: ["a", "b"])
        var rows: [[String?]] = []
        try reader.read(
            work: { batch in
                (0..<batch.rowCount).map { row in
                    (0..<2).map { batch.isAbsent(row: row, column: $0) ? nil : batch.string(row: row, column: $0) }
                }
            }, consume: { _, batchRows in rows += batchRows })
        return rows
    }

    @Test func stringFieldsHaveTheirEscapesUndone() throws {
        let rows = try Self.read(#"{"a": "x\u00e9\ud83d\ude00\n\"", "b": "plain"}"# + "\n" + #"{"b\u0041": 1, "a": "\/"}"#)
        #expect(rows == [["xé😀\n\"", "plain"], ["/", nil]])
    }

    /// A malformed string on line 2: the message and the column (in characters) it names.
    @Test(arguments: [
        (#"{"a": "\ud83d"}"#, 14, "invalid \\u escape"),
        (#"{"a": "\ude00"}"#, 14, "invalid \\u escape"),
        (#"{"a": "é\ud83d"}"#, 15, "invalid \\u escape"),
        (#"{"a": "\ud83d\u0041"}"#, 20, "invalid surrogate pair"),
        (#"{"a": "\u1"#, 10, "invalid \\u escape"),
        (#"{"a": "\u12g4"}"#, 12, "invalid \\u escape"),
        (#"{"a": "x\q"}"#, 11, "invalid escape"),
        (#"{"a": "abc"#, 11, "unterminated string"),
        (#"{"a": "abc\"#, 12, "unterminated escape"),
        ("{\"a\": \"a\tb\"}", 9, "control character in a string"),
    ])
    func namesTheColumnOfAMalformedString(line: String, column: Int, message: String) {
        #expect(throws: DataError(file: "t.jsonl", line: 2, column: column, message)) {
            try Self.read(#"{"a": 1}"# + "\n" + line + "\n")
        }
    }
}
