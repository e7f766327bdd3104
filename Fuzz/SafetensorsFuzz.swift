// libFuzzer target for the safetensors reader; built by `scripts/fuzz.sh safetensors`, which
// compiles this file together with the reader's sources into one module.

/// Reads the input as a safetensors file and, when it reads, checks the layout invariants and
/// reads every element; traps (so libFuzzer reports it) only if an invariant of a file that did
/// read is broken.
@_cdecl("LLVMFuzzerTestOneInput")
public func safetensorsFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = TensorBuffer(copying: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let file = try? TensorFile.safetensors(in: buffer, source: "fuzz.safetensors") else { return 0 }
    var end = file.tensors.first?.byteRange.lowerBound ?? size
    for tensor in file.tensors {
        precondition(tensor.byteRange.lowerBound == end, "tensors are not contiguous")
        precondition(tensor.byteRange.upperBound <= size, "a tensor runs past the file")
        precondition(tensor.count * tensor.dtype.bitWidth == tensor.byteRange.count * 8, "shape disagrees with the bytes")
        for index in 0..<min(tensor.count, 64) where tensor.dtype.isReadable {
            precondition(tensor.double(at: index) != nil, "a readable element did not read")
        }
        end = tensor.byteRange.upperBound
    }
    precondition(end == size, "the tensors do not cover the file")
    return 0
}
