import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Bytes that tensors point into: a read-only memory mapping of a whole file, or bytes held in
/// memory (an archive member that had to be inflated, a file written by a test).
///
/// A mapping is never written, and is unmapped when the last tensor that refers to it goes.
/// While mapped, the file must not shrink: a read past its new end raises SIGBUS (see the
/// README's note on files changed under mlrun).
package final class TensorBuffer: @unchecked Sendable {
    /// The bytes. Valid for the buffer's lifetime.
    package let bytes: UnsafeRawBufferPointer
    private let release: Release

    private enum Release {
        case unmap
        case free
        case none
    }

    /// Maps the file at `url` read-only; `source` names it in errors.
    package init(mapping url: URL, source: String) throws(TensorFileError) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw TensorFileError(source: source, message: "cannot read: \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TensorFileError(source: source, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw TensorFileError(source: source, message: "cannot read: not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            release = .none
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw TensorFileError(source: source, message: "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        release = .unmap
    }

    /// Holds a copy of `contents`.
    package init(copying contents: some Collection<UInt8>) {
        let count = contents.count
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        _ = storage.initializeMemory(as: UInt8.self, from: contents)
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<count])
        release = .free
    }

    deinit {
        switch release {
        case .unmap: munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        case .free: bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        case .none: break
        }
    }

    /// Tells the kernel the pages of `range` will not be read again soon, so a scan of a large
    /// mapped file does not keep all of it resident. Does nothing for bytes held in memory.
    package func doneWith(_ range: Range<Int>) {
        guard case .unmap = release, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound == bytes.count ? range.upperBound : range.upperBound / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
