/// One named tensor of a model file: its dtype, shape and bytes, pointing into the file's
/// ``TensorBuffer`` without a copy.
///
/// Elements are stored little-endian in C (row-major) order, as safetensors, ONNX raw data and
/// PyTorch storages keep them; readers of other layouts (a big-endian or Fortran-order `.npy`)
/// convert to this one.
package struct Tensor: Sendable {
    /// The name in the file (`fc1.weight`; for an `.npz`, the member name without `.npy`).
    package let name: String
    package let dtype: TensorDType
    /// The length of each axis; `[]` for a 0-d scalar.
    package let shape: [Int]
    /// What holds the bytes.
    package let buffer: TensorBuffer
    /// Where the elements lie in ``buffer``.
    package let byteRange: Range<Int>
    /// Where the elements start in the file, for messages (equal to `byteRange.lowerBound` for
    /// a mapped file).
    package let fileOffset: Int

    package init(name: String, dtype: TensorDType, shape: [Int], buffer: TensorBuffer, byteRange: Range<Int>, fileOffset: Int? = nil) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.buffer = buffer
        self.byteRange = byteRange
        self.fileOffset = fileOffset ?? byteRange.lowerBound
    }

    /// The number of elements: the product of ``shape`` (1 for a scalar).
    package var count: Int { shape.reduce(1, *) }

    /// The elements' bytes.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer.bytes[byteRange]) }

    /// A C-order flat index as `[i, j, k]`, for messages.
    package func multiIndex(of flatIndex: Int) -> [Int] {
        var rest = flatIndex
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
