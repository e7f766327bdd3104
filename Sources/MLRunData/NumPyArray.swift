import Foundation

/// An n-dimensional array read from a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0).
///
/// The layout, as numpy's `numpy.lib.format` documents it: the magic string `\x93NUMPY`, a
/// major and a minor version byte, the header length (2 bytes little-endian in 1.0, 4 bytes in
/// 2.0 and 3.0), then the header, a Python dict literal such as
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and ending in
/// a newline (latin-1 in 1.0 and 2.0 files, UTF-8 in 3.0), then the elements, exactly
/// `product(shape) × itemsize` bytes with nothing after them.
///
/// Reading is strict: the three keys exactly once each, a dtype from ``DType`` in either byte
/// order, and a data length that matches the shape. The header grammar (at the top of
/// `NumPyArray+Header.swift`) is what numpy writes, with spaces or tabs between tokens; Python 2
/// era lengths such as `3L` are refused. Anything else throws ``NumPyError``; no
/// input traps. The elements stay as stored (either byte order, C or Fortran order) and the
/// accessors (``doubles()``, ``int64s()``, ``bools()``, ``row(_:)``, ``column(_:)``) convert them
/// and always present them in C (row-major) order.
package struct NumPyArray: Sendable, Equatable {
    /// The length of each axis; `[]` for a 0-d scalar, `[n]` for a vector, `[rows, columns]` for
    /// a matrix.
    package let shape: [Int]
    /// The element type.
    package let dtype: DType
    /// The order of the bytes within each stored element.
    package let byteOrder: ByteOrder
    /// Whether the elements are stored in Fortran (column-major) order. The accessors hide it.
    package let isFortranOrder: Bool
    /// The file's major format version: 1, 2 or 3 (the minor version is always 0).
    package let formatVersion: Int
    /// Where the array came from, as errors name it.
    package let source: String
    /// The elements as stored in the file.
    let storage: [UInt8]

    /// The number of elements: the product of ``shape`` (1 for a scalar).
    package var count: Int { storage.count / dtype.size }

    /// Reads the `.npy` file at `url`; errors name the file as `url.relativePath`.
    package init(contentsOf url: URL) throws(NumPyError) {
        let source = url.relativePath
        let data = try NumPyArray.contents(of: url, source: source)
        let parsed = data.withUnsafeBytes { raw in
            Result { () throws(NumPyError) in try NumPyArray(bytes: raw, source: source) }
        }
        self = try parsed.get()
    }

    /// Reads a `.npy` file held in memory; errors name it `source` (pass the path it came from).
    package init(bytes: [UInt8], source: String) throws(NumPyError) {
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(NumPyError) in try NumPyArray(bytes: raw, source: source) }
        }
        self = try parsed.get()
    }

    /// Reads a `.npy` file held in memory; errors name it `source` (pass the path it came from).
    /// The elements are copied, so the buffer need not outlive the array.
    package init(bytes: UnsafeRawBufferPointer, source: String) throws(NumPyError) {
        let preamble = try Preamble(bytes, source: source)
        let headerBytes = Array(UnsafeRawBufferPointer(rebasing: bytes[preamble.headerStart..<preamble.dataStart]))
        var parser = HeaderParser(
            bytes: headerBytes, fileOffset: preamble.headerStart, isUTF8: preamble.version == 3, source: source)
        let header = try parser.header()
        let expected = try NumPyArray.dataLength(of: header, source: source)
        let available = bytes.count - preamble.dataStart
        if available < expected {
            throw NumPyError(
                source: source,
                message: "truncated: the header promises \(expected) bytes of data, the file has \(available)")
        }
        if available > expected {
            throw NumPyError(
                source: source,
                message: "trailing data: the header promises \(expected) bytes of data, the file has \(available)")
        }
        self.shape = header.shape
        self.dtype = header.dtype
        self.byteOrder = header.byteOrder
        self.isFortranOrder = header.isFortranOrder
        self.formatVersion = preamble.version
        self.source = source
        self.storage = Array(UnsafeRawBufferPointer(rebasing: bytes[preamble.dataStart...]))
    }

    /// The bytes of the file at `url`, or an error naming it.
    static func contents(of url: URL, source: String) throws(NumPyError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) {
                throw NumPyError(source: source, message: "cannot read: no such file")
            }
            throw NumPyError(source: source, message: "cannot read: \(error.localizedDescription)")
        }
    }

    /// `product(shape) × itemsize`, or an error when that does not fit in an `Int`.
    ///
    /// A shape with a zero axis holds no elements whatever its other axes; the others must still
    /// multiply without overflow, as numpy requires of any array it creates.
    private static func dataLength(of header: Header, source: String) throws(NumPyError) -> Int {
        var length = header.dtype.size
        var hasZeroAxis = false
        for axis in header.shape {
            if axis == 0 {
                hasZeroAxis = true
                continue
            }
            let (product, overflow) = length.multipliedReportingOverflow(by: axis)
            guard !overflow else {
                throw NumPyError(
                    source: source,
                    message: "header: shape \(NumPyArray.pythonTuple(header.shape)) at byte \(header.shapeOffset) "
                        + "is too large: \(header.dtype.size)-byte elements would take more than \(Int.max) bytes",
                    byteOffset: header.shapeOffset)
            }
            length = product
        }
        return hasZeroAxis ? 0 : length
    }

    /// A shape as Python writes a tuple: `()`, `(5,)`, `(3, 4)`.
    static func pythonTuple(_ shape: [Int]) -> String {
        if shape.count == 1 { return "(\(shape[0]),)" }
        return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

extension NumPyArray {
    /// The fixed-size start of a `.npy` file: magic, version, header length.
    struct Preamble {
        /// The major version: 1, 2 or 3.
        var version: Int
        /// The offset of the first header byte (10 in version 1, 12 after).
        var headerStart: Int
        /// The header's length in bytes, padding and newline included.
        var headerLength: Int
        /// The offset of the first data byte.
        var dataStart: Int { headerStart + headerLength }

        /// `\x93NUMPY`.
        static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

        /// Reads and checks the preamble, and that the whole header is present.
        init(_ bytes: UnsafeRawBufferPointer, source: String) throws(NumPyError) {
            guard !bytes.isEmpty else {
                throw NumPyError(
                    source: source, message: "empty file: a .npy file starts with the magic string \\x93NUMPY")
            }
            let magicBytes = Preamble.magic
            for (i, byte) in magicBytes.enumerated() where i < bytes.count && bytes[i] != byte {
                throw NumPyError(
                    source: source, message: "not a .npy file: it does not start with the magic string \\x93NUMPY",
                    byteOffset: 0)
            }
            guard bytes.count >= 8 else {
                throw NumPyError(
                    source: source,
                    message: "truncated: the file ends at byte \(bytes.count), inside the magic string and version")
            }
            let major = bytes[6]
            let minor = bytes[7]
            guard (1...3).contains(major), minor == 0 else {
                throw NumPyError(
                    source: source,
                    message: "unsupported format version \(major).\(minor) at byte 6; "
                        + "known versions are 1.0, 2.0 and 3.0",
                    byteOffset: 6)
            }
            version = Int(major)
            let lengthSize = version == 1 ? 2 : 4
            headerStart = 8 + lengthSize
            guard bytes.count >= headerStart else {
                throw NumPyError(
                    source: source,
                    message: "truncated: the file ends at byte \(bytes.count), inside the "
                        + "\(lengthSize)-byte header length at byte 8")
            }
            // Little-endian unsigned, 2 or 4 bytes: at most 2^32 - 1, so it fits in an Int.
            var length = 0
            for i in (0..<lengthSize).reversed() { length = length << 8 | Int(bytes[8 + i]) }
            headerLength = length
            let following = bytes.count - headerStart
            guard headerLength <= following else {
                throw NumPyError(
                    source: source,
                    message: "truncated: the header length at byte 8 is \(headerLength), "
                        + "but only \(following) bytes follow it")
            }
        }
    }
}
