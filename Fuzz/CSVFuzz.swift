// libFuzzer target for the CSV reader; built by `scripts/fuzz.sh csv`, which compiles this
// file together with the CSV sources into one module.
import Foundation

/// Reads the input as a CSV file (through a file, since the reader maps or reads files) with
/// tiny blocks on two threads, and through the tokenizer's fast and general paths directly;
/// traps only if an invariant breaks: every row has as many fields as the header, lines and
/// offsets only grow, and the fast path agrees with the general one.
@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let path = "/dev/shm/mlrun-csv-fuzz-\(getpid()).csv"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
    defer { unlink(path) }
    for mapped in [true, false] {
        var options = CSVOptions(blockSize: 64 + size % 200)
        options.minimumParallelSpan = 32
        options.mapFile = mapped
        guard let reader = try? CSVReader(path: path, displayPath: "fuzz.csv", options: options) else { continue }
        var lastLine: Int64 = 0, lastOffset: Int64 = -1
        _ = try? reader.read(work: { batch in batch.rowCount }, consume: { batch, count in
            precondition(count == batch.rowCount)
            for row in 0..<batch.rowCount {
                precondition(batch.lines[row] > lastLine && batch.offsets[row] > lastOffset, "rows out of order")
                lastLine = batch.lines[row]
                lastOffset = batch.offsets[row]
                for column in 0..<reader.header.count { _ = batch.string(row: row, column: column) }
            }
        })
    }
    bytes.withUnsafeBufferPointer { span in
        guard let base = span.baseAddress else { return }
        for columns in [1, 3] {
            let tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ","), columns: columns)
            for final in [true, false] {
                var fast = RecordBatch.Builder(columnCount: columns, base: base, baseCount: span.count)
                var slow = RecordBatch.Builder(columnCount: columns, base: base, baseCount: span.count)
                let a = tokenizer.tokenize(span, final: final, into: &fast)
                let b = tokenizer.tokenizeGeneral(span, final: final, into: &slow)
                precondition(a == b, "fast and general paths disagree")
                if a.failure == nil {
                    precondition(fast.bounds == slow.bounds && fast.lines == slow.lines && fast.offsets == slow.offsets)
                }
            }
        }
    }
    return 0
}
