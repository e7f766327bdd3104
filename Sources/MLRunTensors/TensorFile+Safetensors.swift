import Foundation

extension TensorFile {
    /// The tensors of a `.safetensors` file, mapped without a copy, in offset order.
    ///
    /// The header is checked as ``SafetensorsHeader`` describes (strictly, as the reference
    /// loader, and rejecting duplicate names, which it accepts).
    static func readSafetensors(_ url: URL, source: String) throws(TensorFileError) -> TensorFile {
        try safetensors(in: TensorBuffer(mapping: url, source: source), source: source)
    }

    /// The tensors of the safetensors file whose bytes `buffer` holds; each points into it.
    package static func safetensors(in buffer: TensorBuffer, source: String) throws(TensorFileError) -> TensorFile {
        let header = try SafetensorsHeader(parsing: buffer.bytes, source: source)
        let start = header.dataStart
        let tensors = header.entries.map { entry in
            Tensor(
                name: entry.name, dtype: entry.dtype, shape: entry.shape, buffer: buffer,
                byteRange: start + entry.dataRange.lowerBound..<start + entry.dataRange.upperBound)
        }
        return TensorFile(source: source, format: .safetensors, tensors: tensors, metadata: header.metadata ?? [:])
    }
}
