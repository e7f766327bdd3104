/// A model or tensor file that cannot be read, or that breaks a rule of its format: where,
/// and what is wrong.
///
/// Rendered as `SOURCE: tensor 'NAME' at byte N: MESSAGE`, leaving out the parts that do not
/// apply, e.g. `model.safetensors: tensor 'fc.weight' at byte 88: data_offsets [0, 10] hold 10
/// bytes; shape [2, 2] of F32 needs 16`.
package struct TensorFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user wrote it (or `ARCHIVE member 'PATH'`).
    package var source: String
    /// The tensor concerned, when one is.
    package var tensor: String?
    /// The offset in the file of the offending byte, when one spot is to blame.
    package var byteOffset: Int?
    /// What is wrong.
    package var message: String

    /// Creates an error about `source`.
    package init(source: String, tensor: String? = nil, byteOffset: Int? = nil, message: String) {
        self.source = source
        self.tensor = tensor
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `SOURCE: tensor 'NAME' at byte N: MESSAGE`.
    package var description: String {
        var where_: [String] = []
        if let tensor { where_.append("tensor '\(tensor)'") }
        if let byteOffset { where_.append("at byte \(byteOffset)") }
        let prefix = where_.isEmpty ? "" : where_.joined(separator: " ") + ": "
        return source.isEmpty ? prefix + message : "\(source): \(prefix)\(message)"
    }
}
