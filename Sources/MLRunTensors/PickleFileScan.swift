import Foundation
import MLRunData

/// The static scan of a pickle-based model file: every pickle in it walked by ``PickleScan``,
/// none unpickled.
///
/// Which pickles a file holds:
/// - a zip archive (PyTorch's format since 1.6, `torch.save`): every member ending in `.pkl`
///   (`archive/data.pkl`; TorchScript's `constants.pkl` too); members must be stored, not deflated;
/// - PyTorch's legacy format (before 1.6; it starts with a pickled magic number): its five
///   consecutive pickles, before the raw storages;
/// - anything else (`.pkl`, `.pickle`, `.joblib`): one pickle from the first byte; bytes after
///   its STOP are not read.
///
/// Compressed files (zlib, gzip, bz2, xz, lz4: `joblib.dump(..., compress=…)`) are reported as
/// unsupported, and so is a joblib file holding numpy arrays, whose raw bytes joblib writes
/// inside the pickle stream.
package struct PickleFileScan: Sendable {
    /// One pickle of the file and where it is.
    package struct Part: Sendable {
        /// The file, or `FILE member 'PATH'` for a zip member; offsets in ``scan`` count from its start.
        package var source: String
        package var scan: PickleScan
    }

    /// The file as the user wrote it.
    package let source: String
    package let parts: [Part]
    /// The mapped file, and (for a zip archive) its members, for ``TorchCheckpoint``.
    let buffer: TensorBuffer
    let members: [NumPyArchive.CentralDirectory<UnsafeRawBufferPointer>.Member]

    /// PyTorch's legacy magic number 0x1950a86a20f9469cfc6c as LONG1 pickles it.
    private static let legacyMagic: [UInt8] = [0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Maps and scans the file at `url`; errors name it `source`.
    package init(contentsOf url: URL, source: String) throws(TensorFileError) {
        let buffer = try TensorBuffer(mapping: url, source: source)
        try self.init(buffer: buffer, source: source)
    }

    /// Scans the file held in `buffer`.
    package init(buffer: TensorBuffer, source: String) throws(TensorFileError) {
        self.buffer = buffer
        self.source = source
        let bytes = buffer.bytes
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            let directory: NumPyArchive.CentralDirectory<UnsafeRawBufferPointer>
            do {
                directory = try NumPyArchive.CentralDirectory(bytes, source: source)
            } catch {
                throw TensorFileError(source: source, message: String(error.description.dropFirst(source.count + 2)))
            }
            members = directory.members
            var parts: [Part] = []
            for member in members where member.path.hasSuffix(".pkl") {
                let memberSource = "\(source) member '\(member.path)'"
                guard member.method == 0 else {
                    throw TensorFileError(
                        source: memberSource, message: "the member is deflated; mlrun scans stored pickles only, as torch.save writes them")
                }
                let memberBytes = UnsafeRawBufferPointer(rebasing: bytes[member.data])
                parts.append(Part(source: memberSource, scan: try PickleScan(memberBytes, source: memberSource)))
            }
            guard !parts.isEmpty else {
                throw TensorFileError(source: source, message: "a zip archive with no .pkl member: not a PyTorch checkpoint")
            }
            self.parts = parts
            return
        }
        members = []
        if let compression = Self.compression(bytes) {
            throw TensorFileError(
                source: source,
                message: "\(compression)-compressed file (as joblib.dump(..., compress=...) writes): mlrun scans uncompressed pickles only")
        }
        var parts = [Part(source: source, scan: try PickleScan(bytes, source: source))]
        let first = UnsafeRawBufferPointer(rebasing: bytes[0..<parts[0].scan.end])
        if first.count >= 2 + Self.legacyMagic.count, first.dropFirst(2).starts(with: Self.legacyMagic) {
            // Legacy torch.save: magic, protocol version, system info, the object, storage keys.
            for _ in 0..<4 {
                parts.append(Part(source: source, scan: try PickleScan(bytes, from: parts[parts.count - 1].scan.end, source: source)))
            }
        }
        self.parts = parts
    }

    /// Every global outside ``PickleAllowlist`` (and every unresolvable import) in every part,
    /// as errors naming the part and the opcode's offset; empty when the file passes.
    package var violations: [TensorFileError] {
        parts.flatMap { PickleAllowlist.violations(in: $0.scan, source: $0.source) }
    }

    /// The compression whose magic bytes start `bytes`, if any.
    private static func compression(_ bytes: UnsafeRawBufferPointer) -> String? {
        if bytes.count >= 2, bytes[0] == 0x78, [0x01, 0x5E, 0x9C, 0xDA].contains(bytes[1]) { return "zlib" }
        if bytes.starts(with: Array("ZF".utf8)) { return "zlib" }  // joblib's old zfile format.
        if bytes.starts(with: [0x1F, 0x8B]) { return "gzip" }
        if bytes.starts(with: Array("BZh".utf8)) { return "bz2" }
        if bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if bytes.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return "lz4" }
        return nil
    }
}
