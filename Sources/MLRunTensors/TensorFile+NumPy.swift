import Foundation
import MLRunData

extension TensorFile {
    /// The one array of a `.npy` file, as a tensor named after the file (`w` for `w.npy`).
    static func readNumPy(_ url: URL, source: String) throws(TensorFileError) -> TensorFile {
        do {
            let array = try NumPyArray(contentsOf: url)
            let name = url.deletingPathExtension().lastPathComponent
            return TensorFile(source: source, format: .npy, tensors: [tensor(name, array, source: source)])
        } catch {
            throw TensorFileError(source: source, message: Self.strippingSource(error))
        }
    }

    /// The arrays of a `.npz` archive, in archive order, named as `np.load(path).files` names them.
    static func readNumPyArchive(_ url: URL, source: String) throws(TensorFileError) -> TensorFile {
        do {
            let archive = try NumPyArchive(contentsOf: url)
            var tensors: [Tensor] = []
            for name in archive.names {
                tensors.append(try tensor(name, archive.array(named: name), source: source))
            }
            return TensorFile(source: source, format: .npz, tensors: tensors)
        } catch {
            throw TensorFileError(source: source, message: Self.strippingSource(error))
        }
    }

    private static func tensor(_ name: String, _ array: NumPyArray, source: String) -> Tensor {
        let dtype: TensorDType =
            switch array.dtype {
            case .bool: .bool
            case .int8: .int8
            case .int16: .int16
            case .int32: .int32
            case .int64: .int64
            case .uint8: .uint8
            case .uint16: .uint16
            case .uint32: .uint32
            case .uint64: .uint64
            case .float16: .float16
            case .float32: .float32
            case .float64: .float64
            }
        let bytes = array.littleEndianCOrderBytes()
        return Tensor(name: name, dtype: dtype, shape: array.shape, buffer: TensorBuffer(copying: bytes), byteRange: 0..<bytes.count, fileOffset: 0)
    }

    /// A NumPy error's message; its source already names the file (or archive member).
    private static func strippingSource(_ error: any Error) -> String {
        guard let error = error as? NumPyError else { return "\(error)" }
        let prefix = "\(error.source): "
        let text = error.description
        return text.hasPrefix(prefix) && !error.source.contains("member") ? String(text.dropFirst(prefix.count)) : text
    }
}
