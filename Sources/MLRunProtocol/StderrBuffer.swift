import MLRunCore

/// A program's stderr read but not yet given to a test, with each byte's offset in the
/// stream, so it can be split where the next test began.
///
/// With ids written ahead, the next test may write to stderr before mlrun has taken the
/// previous result. Each stdout line records how much stderr had been read when it arrived
/// (its mark); the previous test gets the stderr before the next test's `start` mark.
struct StderrBuffer {
    /// Bytes read from the stream so far.
    private(set) var total = 0
    /// Bytes not taken yet, from offset `start`; over `keepLimit` only counted.
    private var bytes: [UInt8] = []
    private var start = 0
    private var droppedPending = 0
    let keepLimit: Int

    init(keepLimit: Int) {
        self.keepLimit = keepLimit
    }

    /// Bytes not taken yet.
    var pendingCount: Int { total - start }

    /// Adds a chunk read from the stream. Past `keepLimit` bytes, and from then on until all
    /// is taken, bytes are only counted (so what is kept is always one run from the start).
    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        total += chunk.count
        let room = droppedPending > 0 ? 0 : max(0, keepLimit - bytes.count)
        bytes.append(contentsOf: chunk.prefix(room))
        droppedPending += chunk.count - min(room, chunk.count)
    }

    /// Takes what was read before offset `mark` (all of it when nil), bounded to `limit`
    /// bytes of text, with the count of bytes dropped (over `limit` or `keepLimit`).
    mutating func take(upTo mark: Int?, limit: Int) -> (text: String, dropped: Int) {
        let end = min(max(mark ?? total, start), total)
        let kept = min(end - start, bytes.count)
        let droppedHere = (end - start) - kept
        var text = BoundedText(limit: limit)
        text.append(String(decoding: bytes.prefix(kept), as: UTF8.self))
        bytes.removeFirst(kept)
        droppedPending -= droppedHere
        start = end
        return (text.keptText, text.dropped + droppedHere)
    }

    /// What has not been taken yet, as text.
    var pendingText: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
