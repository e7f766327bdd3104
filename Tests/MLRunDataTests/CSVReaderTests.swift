import Foundation
import Testing

@testable import MLRunData

/// Reads `text` as a CSV file with `options`; rows as strings with their lines and offsets.
private func read(_ text: String, options: CSVOptions = CSVOptions()) throws -> (header: [String], rows: [[String]], lines: [Int64], offsets: [Int64])
{
    try read(bytes: Array(text.utf8), options: options)
}

private func read(bytes: [UInt8], options: CSVOptions = CSVOptions()) throws -> (header: [String], rows: [[String]], lines: [Int64], offsets: [Int64])
{
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-csv-\(UUID().uuidString).csv")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let reader = try CSVReader(path: url.path, displayPath: "t.csv", options: options)
    var rows: [[String]] = [], lines: [Int64] = [], offsets: [Int64] = []
    try reader.read(
        work: { batch in
            (0..<batch.rowCount).map { row in (0..<batch.columnCount).map { batch.string(row: row, column: $0) } }
        },
        consume: { batch, strings in
            rows += strings
            lines += batch.lines
            offsets += batch.offsets
        })
    return (reader.header, rows, lines, offsets)
}

private func failure(_ text: String, options: CSVOptions = CSVOptions()) -> DataError? {
    do {
        _ = try read(text, options: options)
        return nil
    } catch let error as DataError {
        return error
    } catch {
        return nil
    }
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsDoubledQuotesEmbeddedNewlinesAndCRLF() throws {
        let text = "id,text,n\r\n1,\"a, b\",2\r\n2,\"say \"\"hi\"\"\",3\r\n3,\"two\nlines\",4\r\n\r\n4,,5"
        let result = try read(text)
        #expect(result.header == ["id", "text", "n"])
        #expect(result.rows == [["1", "a, b", "2"], ["2", "say \"hi\"", "3"], ["3", "two\nlines", "4"], ["4", "", "5"]])
        // Line 4 holds a line break inside quotes, line 6 is blank.
        #expect(result.lines == [2, 3, 4, 7])
        #expect(result.offsets == [11, 23, 41, 60])
    }

    @Test func byteOrderMarkDelimiterAndMissingFinalNewline() throws {
        let result = try read(bytes: [0xEF, 0xBB, 0xBF] + Array("a;b\n1;2\n3;4".utf8), options: CSVOptions(delimiter: UInt8(ascii: ";")))
        #expect(result.header == ["a", "b"])
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [2, 3])
    }

    @Test func raggedRowNamesItsLine() {
        let error = failure("a,b,c\n1,2,3\n4,5\n6,7,8\n")
        #expect(error == DataError(file: "t.csv", line: 3, column: 1, "expected 3 fields (as in the header), found 2"))
        #expect(error?.description == "t.csv: line 3, column 1: expected 3 fields (as in the header), found 2")
    }

    @Test func unterminatedQuoteNamesTheLineWhereItStarts() {
        let error = failure("a,b\n1,2\n3,\"never\nclosed\n5,6\n")
        #expect(error == DataError(file: "t.csv", line: 3, column: 3, "unterminated quoted field (it starts here and never ends)"))
    }

    @Test func textAfterAClosingQuote() {
        let error = failure("a,b\n1,\"x\"y\n")
        #expect(
            error
                == DataError(
                    file: "t.csv", line: 2, column: 6,
                    "unexpected character after a closing quote (a quoted field must end at a delimiter or a line end)"))
    }

    @Test func invalidUTF8NamesLineAndColumn() {
        var bytes = Array("a,b\n1,2\nxé,".utf8)
        bytes += [0xFF] + Array("z\n".utf8)
        do {
            _ = try read(bytes: bytes)
            Issue.record("no error")
        } catch let error as DataError {
            #expect(error == DataError(file: "t.csv", line: 3, column: 4, "invalid UTF-8 byte 0xFF"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func emptyFileAndDuplicateHeader() {
        #expect(failure("") == DataError(file: "t.csv", line: 1, "the file is empty: a header row is needed"))
        #expect(failure("a,b,a\n1,2,3\n") == DataError(file: "t.csv", line: 1, "header: column 'a' appears twice"))
    }

    /// Small blocks split on two threads, with quoted line breaks landing on cuts, give exactly
    /// what one thread reading the whole file gives.
    @Test(arguments: [(97, true), (256, false), (1000, true), (4096, false)])
    func parallelBlocksMatchOneThread(blockSize: Int, mapped: Bool) throws {
        var generator = SplitMix64(seed: UInt64(blockSize))
        var text = "id,text,value\n"
        for row in 0..<600 {
            let kind = generator.next() % 5
            let field: String
            switch kind {
            case 0: field = "\"multi\nline \(row)\""
            case 1: field = "\"quote \"\" \(row)\""
            case 2: field = ""
            case 3: field = "\"\(String(repeating: "x", count: Int(generator.next() % 300)))\""
            default: field = "plain\(row)"
            }
            text += "\(row),\(field),\(generator.next() % 1000)\(generator.next() % 4 == 0 ? "\r\n" : "\n")"
        }
        var whole = CSVOptions(blockSize: 1 << 24, parallel: false)
        whole.mapFile = false
        let reference = try read(text, options: whole)
        var options = CSVOptions(blockSize: blockSize)
        options.minimumParallelSpan = 64
        options.mapFile = mapped
        let split = try read(text, options: options)
        #expect(split.rows == reference.rows)
        #expect(split.lines == reference.lines)
        #expect(split.offsets == reference.offsets)
        #expect(reference.rows.count == 600)
    }

    @Test(arguments: [true, false])
    func rowsLongerThanTheBlockMakeItGrow(mapped: Bool) throws {
        let long = String(repeating: "y", count: 5000)
        var options = CSVOptions(blockSize: 128)
        options.mapFile = mapped
        let result = try read("a,b\n1,\(long)\n2,\"\(long)\"\n", options: options)
        #expect(result.rows == [["1", long], ["2", long]])
    }

    @Test func fieldsAtOffsetReadOneRowBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-csv-\(UUID().uuidString).csv")
        try Data("a,b\n1,\"x,y\"\n2,z\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CSVReader(path: url.path, displayPath: "t.csv")
        #expect(reader.fields(atOffset: 4) == ["1", "x,y"])
        #expect(reader.fields(atOffset: 12) == ["2", "z"])
    }
}

/// Random and damaged input never traps: every call returns rows or throws a `DataError`.
@Suite struct CSVReaderRobustnessTests {
    @Test func randomAndTruncatedInputNeverCrashes() throws {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("ab,\"\n\r;é\t1.".utf8) + [0xFF, 0xC3, 0x00]
        let valid = Array("id,text,x\n1,\"a,\"\"b\"\"\nc\",2\r\n3,plain,4\n".utf8)
        var inputs: [[UInt8]] = (0...valid.count).map { Array(valid.prefix($0)) }
        for _ in 0..<400 {
            let length = Int(generator.next() % 200)
            inputs.append((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        for input in inputs {
            var unmapped = CSVOptions(blockSize: 1 << 20, parallel: false)
            unmapped.mapFile = false
            for options in [CSVOptions(blockSize: 64), unmapped] {
                var small = options
                small.minimumParallelSpan = 16
                do {
                    _ = try read(bytes: input, options: small)
                } catch is DataError {
                    // A clear error is the expected way to fail.
                }
            }
        }
    }

    @Test func jsonLinesRandomLinesNeverCrash() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("{}[]\":,\\u0012 ntrufalse1.e-\n".utf8) + [0xFF]
        for _ in 0..<300 {
            let length = Int(generator.next() % 120)
            var bytes = Array("{\"a\": 1}\n".utf8)
            bytes += (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-jsonl-\(UUID().uuidString).jsonl")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let reader = JSONLinesReader(path: url.path, displayPath: "t.jsonl", columns: ["a", "b"])
            do {
                try reader.read(work: { $0.rowCount }, consume: { _, _ in })
            } catch {
                #expect(error.description.hasPrefix("t.jsonl: line "))
            }
        }
    }
}

/// The fast path for rows without quotes gives what the general state machine gives.
@Suite struct CSVTokenizerFastPathTests {
    func rows(_ bytes: [UInt8], _ tokenizer: CSVTokenizer, general: Bool, final: Bool) -> (
        fields: [String], lines: [Int64], offsets: [Int64], result: CSVTokenizer.Result
    ) {
        bytes.withUnsafeBufferPointer { span in
            var builder = RecordBatch.Builder(columnCount: tokenizer.columns, base: span.baseAddress!, baseCount: span.count)
            let result =
                general
                ? tokenizer.tokenizeGeneral(span, final: final, into: &builder)
                : tokenizer.tokenize(span, final: final, into: &builder)
            let fields = (0..<builder.bounds.count).map { builder.fieldString(at: $0) }
            return (fields, builder.lines, builder.offsets, result)
        }
    }

    @Test func randomQuoteFreeInputMatchesTheGeneralPath() {
        var generator = SplitMix64(seed: 99)
        let tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ","), columns: 3)
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(generator.next() % 40) {
                switch generator.next() % 60 {
                case 0..<6: text += "\n"  // blank line
                case 6: text += "a,b\n"  // ragged
                default:
                    let width = { Int(generator.next() % 30) }
                    text +=
                        "\(String(repeating: "x", count: width())),\(String(repeating: "7", count: width())),\(String(repeating: "é", count: width() / 3))\n"
                }
            }
            if generator.next() % 2 == 0 { text += "tail,no,newline" }
            // Sometimes a quoted row hands over to the general path, at the start or later.
            switch generator.next() % 4 {
            case 0: text = "q,\"x,y\",z\n" + text
            case 1: text = "p,q,r\n" + text + "q,\"x\ny\",z\nlast,row,\"open"
            default: break
            }
            let bytes = Array(text.utf8)
            for final in [true, false] {
                let fast = rows(bytes, tokenizer, general: false, final: final)
                let slow = rows(bytes, tokenizer, general: true, final: final)
                #expect(fast.result == slow.result, "\(text.debugDescription)")
                if fast.result.failure == nil {
                    #expect(fast.fields == slow.fields)
                    #expect(fast.lines == slow.lines)
                    #expect(fast.offsets == slow.offsets)
                }
            }
        }
    }
}

@Suite struct CSVReaderFuzzFindingsTests {
    /// libFuzzer's first finding: a header with NUL bytes, a row of non-UTF-8 bytes, quotes.
    @Test(arguments: [true, false])
    func fuzzFindingReadsOrFails(mapped: Bool) throws {
        let bytes: [UInt8] = [
            0x69, 0x64, 0x2C, 0x74, 0x65, 0x78, 0x74, 0x2C, 0x78, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92,
            0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92,
            0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92,
            0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x92, 0x31, 0x2C, 0x22, 0x61, 0x2C, 0x22, 0x22, 0x62, 0x22, 0x22, 0x0A,
            0x00, 0x00, 0x00, 0x00, 0x0D, 0x0A, 0x33, 0x2C, 0x70, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x34, 0x0A,
        ]
        var options = CSVOptions(blockSize: 64 + bytes.count % 200)
        options.minimumParallelSpan = 32
        options.mapFile = mapped
        do {
            _ = try read(bytes: bytes, options: options)
        } catch is DataError {
        }
        bytes.withUnsafeBufferPointer { span in
            for columns in [1, 3] {
                let tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ","), columns: columns)
                for final in [true, false] {
                    var fast = RecordBatch.Builder(columnCount: columns, base: span.baseAddress!, baseCount: span.count)
                    var slow = RecordBatch.Builder(columnCount: columns, base: span.baseAddress!, baseCount: span.count)
                    let a = tokenizer.tokenize(span, final: final, into: &fast)
                    let b = tokenizer.tokenizeGeneral(span, final: final, into: &slow)
                    #expect(a == b)
                }
            }
        }
    }
}
