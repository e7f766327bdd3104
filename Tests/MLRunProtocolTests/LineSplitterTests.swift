import MLRunProtocol
import Testing

@Suite struct LineSplitterTests {
    func split(_ chunks: [String], limit: Int = 100) throws -> [String] {
        var splitter = LineSplitter(maxLineLength: limit)
        var lines: [String] = []
        for chunk in chunks {
            try Array(chunk.utf8).withUnsafeBytes { bytes in try splitter.feed(bytes) { lines.append($0) } }
        }
        splitter.finish { lines.append($0) }
        return lines
    }

    @Test func linesSplitAcrossChunksComeOutWhole() throws {
        #expect(try split(["ab", "c\nde", "f\r\ng\n"]) == ["abc", "def", "g"])
        #expect(try split(["one\n", "", "two"]) == ["one", "two"])
        #expect(try split(["\n\n"]) == ["", ""])
    }

    @Test func aLineOverTheLimitIsAnErrorHoweverItArrives() throws {
        #expect(throws: LineSplitter.LineTooLong.self) { try self.split(["12345", "67890", "x\n"], limit: 8) }
        #expect(throws: LineSplitter.LineTooLong.self) { try self.split(["ok\n123456789\n"], limit: 8) }
        #expect(throws: LineSplitter.LineTooLong.self) { try self.split(["123456789"], limit: 8) }
        #expect(try self.split(["12345678\n", "1234", "5678\n"], limit: 8) == ["12345678", "12345678"])
    }
}
