/// A field delimiter of a delimited text file: one ASCII character, not a quote, not a line break.
///
/// The one rule for every place a user names a delimiter (`delimiter` in `[[data]]`,
/// `[[drift]]` and `[[quality]]`, `mlrun snapshot --delimiter`): a quote would open quoted
/// fields and a line break would end records, so neither can separate fields.
public struct Delimiter: Hashable, Sendable {
    /// The character as a byte.
    public let byte: UInt8

    /// What a delimiter must be, for messages: "… must be \(Delimiter.requirement)".
    public static let requirement = "one ASCII character other than a quote or a line break"

    /// The delimiter `text` names, or nil when it breaks the rule.
    public init?(_ text: String) {
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80,
            byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r")
        else { return nil }
        self.byte = byte
    }
}
