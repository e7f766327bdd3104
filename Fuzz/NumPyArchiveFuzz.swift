// libFuzzer target for the .npz reader; built by `scripts/fuzz.sh npz`, which compiles this file
// with the NumPy sources into one module over a ZIPFoundation module it builds from the checkout.

/// Reads the input as a `.npz` archive and extracts every member it lists.
@_cdecl("LLVMFuzzerTestOneInput")
public func numPyArchiveFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let archive = try? NumPyArchive(bytes: bytes, source: "fuzz.npz") else { return 0 }
    for name in archive.names {
        if let array = try? archive.array(named: name) { precondition(array.doubles().count == array.count) }
    }
    return 0
}
