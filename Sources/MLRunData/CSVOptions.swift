/// How a CSV file is written.
package struct CSVOptions: Sendable {
    /// The field separator, one ASCII byte (`,` by default; `\t` for TSV).
    package var delimiter: UInt8 = UInt8(ascii: ",")
    /// Bytes read at a time; a row longer than this makes the block grow.
    package var blockSize = 8 << 20
    /// Whether each block is split in two and tokenized on two threads.
    package var parallel = true
    /// Blocks smaller than this are read on one thread (splitting costs more than it saves).
    package var minimumParallelSpan = 1 << 16
    /// Whether a regular file is mapped into memory rather than read block by block. (A file
    /// truncated by another process while it is mapped would stop mlrun with SIGBUS; data
    /// files are not rewritten during a run.)
    package var mapFile = true

    package init(delimiter: UInt8 = UInt8(ascii: ","), blockSize: Int = 8 << 20, parallel: Bool = true) {
        self.delimiter = delimiter
        self.blockSize = max(64, blockSize)
        self.parallel = parallel
    }
}
