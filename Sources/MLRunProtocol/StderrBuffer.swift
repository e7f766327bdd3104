import MLRunCore

/// A program's stderr read but not yet given to a test, with each byte's offset in the
/// stream, so it can be split where the next test began.
///
/// With ids written ahead, the next test may write to stderr before mlrun has taken the
/// previous result. Each stdout line records how much stderr had been read when it arrived
/// (its mark); the previous test gets the stderr before the next test's `start` mark.
///
/// When the next `start` line has not arrived yet, that split is a guess: the next test may
/// already have written to stderr (its `start` still unread in the other pipe). The last
/// bytes taken are therefore kept a while (`recent`), so a test whose process then dies can
/// still be given all the stderr since the previous result, even what that result took.
struct StderrBuffer {
    /// Bytes read from the stream so far.
    private(set) var total = 0
    /// Bytes not taken yet, from offset `start`; over `keepLimit` only counted.
    private var bytes: [UInt8] = []
    private var start = 0
    private var droppedPending = 0
    let keepLimit: Int
    /// The last bytes taken (at most `recentLimit`), ending at offset `start`.
    private var recent: [UInt8] = []
    private let recentLimit = 16 * 1024

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
        if droppedHere > 0 { recent.removeAll() }
        recent.append(contentsOf: bytes.prefix(kept))
        if recent.count > recentLimit { recent.removeFirst(recent.count - recentLimit) }
        bytes.removeFirst(kept)
        droppedPending -= droppedHere
        start = end
        return (text.keptText, text.dropped + droppedHere)
    }

    /// Takes everything not taken yet, with the bytes from stream offset `mark` on that were
    /// already taken and are still kept, bounded to `limit` bytes of text.
    mutating func take(since mark: Int, limit: Int) -> (text: String, dropped: Int) {
        let again = recent.suffix(max(0, min(start - mark, recent.count)))
        let rest = take(upTo: nil, limit: limit)
        var text = BoundedText(limit: limit)
        text.append(String(decoding: again, as: UTF8.self) + rest.text)
        return (text.keptText, text.dropped + rest.dropped)
    }

    /// The bytes from stream offset `mark` on that are still kept, taken or not, as text.
    func text(since mark: Int) -> String {
        String(decoding: recent.suffix(max(0, min(start - mark, recent.count))) + bytes, as: UTF8.self)
    }

    /// What has not been taken yet, as text.
    var pendingText: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
