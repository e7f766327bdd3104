// libFuzzer target for the .npy reader; built by `scripts/fuzz.sh numpy`, which compiles this
// file together with the NumPyArray sources into one module.

/// Reads the input as a `.npy` file and, when it reads, through every accessor; traps (so
/// libFuzzer reports it) only if an invariant of an array that did read is broken.
@_cdecl("LLVMFuzzerTestOneInput")
public func numPyFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    guard let array = try? NumPyArray(bytes: bytes, source: "fuzz.npy") else { return 0 }
    precondition(array.count * array.dtype.size == array.storage.count, "element count disagrees with the data")
    precondition(array.shape.reduce(1, *) == array.count, "shape disagrees with the element count")
    precondition(array.doubles().count == array.count, "doubles() lost elements")
    if let ints = try? array.int64s() { precondition(ints.count == array.count) }
    if let bools = try? array.bools() { precondition(bools.count == array.count) }
    if array.shape.count == 2 {
        for i in 0..<min(array.shape[0], 4) { _ = try? array.row(i) }
        for j in 0..<min(array.shape[1], 4) { _ = try? array.column(j) }
    }
    return 0
}
