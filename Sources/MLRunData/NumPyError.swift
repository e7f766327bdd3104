/// A `.npy` or `.npz` input that cannot be read: where it came from, and what is wrong where.
///
/// Rendered as `SOURCE: MESSAGE`, e.g.
/// `data/x.npy: header: expected ':' after 'descr' at byte 17; got '='` or
/// `data/x.npy: truncated: the header promises 8000 bytes of data, the file has 7992`.
/// Messages about one spot in the bytes name its offset from the start of the file (or of the
/// archive member) as `at byte N`, and also carry it in ``byteOffset``.
package struct NumPyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the bytes came from: the file path as given, `x.npz member 'y.npy'` for an archive
    /// member, or the `source` passed with in-memory bytes; empty when none was given.
    package var source: String
    /// What is wrong, e.g. `truncated: the header promises 24 bytes of data, the file has 16`.
    package var message: String
    /// The offset of the offending byte when one byte is to blame (a header syntax error).
    package var byteOffset: Int?

    /// Creates an error about `source`.
    package init(source: String, message: String, byteOffset: Int? = nil) {
        self.source = source
        self.message = message
        self.byteOffset = byteOffset
    }

    /// `SOURCE: MESSAGE`, or the message alone when there is no source.
    package var description: String { source.isEmpty ? message : "\(source): \(message)" }
}
