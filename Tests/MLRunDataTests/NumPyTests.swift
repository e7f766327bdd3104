import Foundation
@testable import MLRunData
import Testing

/// The fixtures numpy wrote (`scripts/fixtures/make_npy_fixtures.py`) and what numpy says they hold.
enum NumPyFixtures {
    static let folder: URL = Bundle.module.resourceURL?
        .appending(path: "Fixtures/npy", directoryHint: .isDirectory) ?? URL(fileURLWithPath: "/nonexistent")

    struct ExpectedArray: Decodable {
        var descr: String
        var shape: [Int]
        var fortran_order: Bool
        var version: Int
        /// Bit patterns of the doubles, in hex.
        var doubles: [String]
        var int64s: [String]?
        var bools: [Bool]?
    }

    struct ExpectedArchive: Decodable {
        var files: [String]
        var arrays: [String: ExpectedArray]
    }

    struct Expected: Decodable {
        var arrays: [String: ExpectedArray]
        var archives: [String: ExpectedArchive]
    }

    static let expected: Expected? = (try? Data(contentsOf: folder.appending(path: "expected.json")))
        .flatMap { try? JSONDecoder().decode(Expected.self, from: $0) }

    static var arrayNames: [String] { (expected?.arrays.keys).map { $0.sorted() } ?? [] }
    static var archiveNames: [String] { (expected?.archives.keys).map { $0.sorted() } ?? [] }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appending(path: name)))
    }

    static let dtypes: [String: NumPyArray.DType] = [
        "b1": .bool, "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64, "u1": .uint8, "u2": .uint16,
        "u4": .uint32, "u8": .uint64, "f2": .float16, "f4": .float32, "f8": .float64,
    ]

    /// Checks every property and accessor of `array` against what numpy says of it.
    static func check(_ array: NumPyArray, against expected: ExpectedArray, _ name: String) throws {
        let order: NumPyArray.ByteOrder = switch expected.descr.first {
        case "<": .little
        case ">": .big
        default: .native
        }
        #expect(array.dtype == dtypes[String(expected.descr.dropFirst())], "\(name)")
        #expect(array.byteOrder == order, "\(name)")
        #expect(array.shape == expected.shape, "\(name)")
        #expect(array.isFortranOrder == expected.fortran_order, "\(name)")
        #expect(array.formatVersion == expected.version, "\(name)")
        #expect(array.count == expected.shape.reduce(1, *), "\(name)")
        let doubles = array.doubles()
        #expect(doubles.map(\.bitPattern) == expected.doubles.map { UInt64($0, radix: 16) }, "\(name)")
        if let ints = expected.int64s, ints.allSatisfy({ Int64($0) != nil }) {
            #expect(try array.int64s() == ints.compactMap { Int64($0) }, "\(name)")
        } else {
            #expect(throws: NumPyError.self, "\(name)") { try array.int64s() }
        }
        if let bools = expected.bools {
            #expect(try array.bools() == bools, "\(name)")
        } else {
            #expect(throws: NumPyError.self, "\(name)") { try array.bools() }
        }
        guard array.shape.count == 2 else {
            #expect(throws: NumPyError.self, "\(name)") { try array.row(0) }
            return
        }
        let (rows, columns) = (array.shape[0], array.shape[1])
        for i in 0..<rows {
            let row = doubles[i * columns..<(i + 1) * columns].map(\.bitPattern)
            #expect(try array.row(i).map(\.bitPattern) == row, "\(name) row \(i)")
        }
        for j in 0..<columns {
            let column = stride(from: j, to: rows * columns, by: columns).map { doubles[$0].bitPattern }
            #expect(try array.column(j).map(\.bitPattern) == column, "\(name) column \(j)")
        }
    }
}

@Suite struct NumPyArrayFixtureTests {
    @Test func everyFixtureHasExpectations() throws {
        let expected = try #require(NumPyFixtures.expected)
        let files = try FileManager.default.contentsOfDirectory(atPath: NumPyFixtures.folder.path)
        #expect(Set(files.filter { $0.hasSuffix(".npy") }) == Set(expected.arrays.keys))
        #expect(Set(files.filter { $0.hasSuffix(".npz") }) == Set(expected.archives.keys).union(["odd_members.npz"]))
        #expect(expected.archives.count == 3)
        #expect(expected.arrays.count == 35)
    }

    @Test(arguments: NumPyFixtures.arrayNames)
    func readsAsNumPyWrote(name: String) throws {
        let expected = try #require(NumPyFixtures.expected?.arrays[name])
        let url = NumPyFixtures.folder.appending(path: name)
        let fromFile = try NumPyArray(contentsOf: url)
        try NumPyFixtures.check(fromFile, against: expected, name)
        #expect(fromFile.source == url.relativePath)
        let fromBytes = try NumPyArray(bytes: try NumPyFixtures.bytes(name), source: url.relativePath)
        #expect(fromBytes == fromFile)
    }

    @Test(arguments: NumPyFixtures.archiveNames)
    func archiveReadsAsNumPyWrote(name: String) throws {
        let expected = try #require(NumPyFixtures.expected?.archives[name])
        let archive = try NumPyArchive(contentsOf: NumPyFixtures.folder.appending(path: name))
        #expect(archive.names == expected.files)
        for (member, array) in expected.arrays {
            try NumPyFixtures.check(try archive.array(named: member), against: array, "\(name) \(member)")
        }
        #expect(try archive.array(named: "labels.npy") == archive.array(named: "labels"))
        #expect(archive.names.count == 3)
    }

    @Test func nativeByteOrderIsThisMachines() throws {
        var bytes = try NumPyFixtures.bytes("float64_le.npy")
        let at = try #require(bytes.firstRange(of: Array("'<f8'".utf8)))
        bytes[at.lowerBound + 1] = UInt8(ascii: "=")
        let native = try NumPyArray(bytes: bytes, source: "x.npy")
        let little = try NumPyArray(bytes: NumPyFixtures.bytes("float64_le.npy"), source: "x.npy")
        #expect(native.byteOrder == .native)
        #expect(native.doubles().map(\.bitPattern) == little.doubles().map(\.bitPattern))
    }

    @Test func halfFloatsWidenExactly() {
        // Every binary16 bit pattern against the value its fields define, and against Float16
        // where this platform has it.
        for bits in UInt16.min...UInt16.max {
            let value = NumPyArray.double(fromHalfBits: bits)
            let exponent = Int(bits >> 10 & 0x1F)
            let fraction = Double(bits & 0x3FF)
            let sign: Double = bits & 0x8000 == 0 ? 1 : -1
            switch exponent {
            case 0: #expect(value == sign * fraction / 16_777_216 && value.sign == (sign < 0 ? .minus : .plus))
            case 31: #expect(fraction == 0 ? value == sign * .infinity : value.isNaN)
            default: #expect(value == sign * (1 + fraction / 1024) * pow(2, Double(exponent - 15)))
            }
            #if !(os(macOS) && arch(x86_64))
            #expect(value.bitPattern == Double(Float16(bitPattern: bits)).bitPattern || value.isNaN)
            #endif
        }
    }
}

@Suite struct NumPyArrayErrorTests {
    /// A `.npy` file: preamble, `header` padded with spaces and a newline so the data starts at
    /// a multiple of 64 (as numpy writes it), then `data`.
    static func npy(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let preamble = version == 1 ? 10 : 12
        var text = Array(header.utf8)
        text += [UInt8](repeating: UInt8(ascii: " "), count: 63 - (preamble + text.count) % 64) + [0x0A]
        var bytes: [UInt8] = magic + [version, 0]
        let length = UInt32(text.count)
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        return bytes + text + data
    }

    static func header(descr: String = "'<f8'", fortran: String = "False", shape: String = "(3,)") -> String {
        "{'descr': \(descr), 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    static let threeDoubles = [UInt8](repeating: 0, count: 24)
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let readable = "readable are bool, int8-int64, uint8-uint64 and float16-float64"
    static let descrForm = "a descr is a byte order (<, >, = or |), a kind letter and a size, as in '<f8'"

    static func patched(_ bytes: [UInt8], at offset: Int, to byte: UInt8) -> [UInt8] {
        var bytes = bytes
        bytes[offset] = byte
        return bytes
    }

    /// Bytes that must not read, and the message they must give.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty file", bytes: [],
             message: "empty file: a .npy file starts with the magic string \\x93NUMPY"),
        Case(name: "bad magic", bytes: Array("hello, world".utf8),
             message: "not a .npy file: it does not start with the magic string \\x93NUMPY"),
        Case(name: "magic only", bytes: magic,
             message: "truncated: the file ends at byte 6, inside the magic string and version"),
        Case(name: "version 4.0", bytes: magic + [4, 0, 0, 0],
             message: "unsupported format version 4.0 at byte 6; known versions are 1.0, 2.0 and 3.0"),
        Case(name: "version 1.1", bytes: magic + [1, 1, 0, 0],
             message: "unsupported format version 1.1 at byte 6; known versions are 1.0, 2.0 and 3.0"),
        Case(name: "v2 short length", bytes: magic + [2, 0, 0x10, 0],
             message: "truncated: the file ends at byte 10, inside the 4-byte header length at byte 8"),
        Case(name: "header past end", bytes: magic + [1, 0, 118, 0] + Array("{'descr'".utf8),
             message: "truncated: the header length at byte 8 is 118, but only 8 bytes follow it"),
        Case(name: "empty header", bytes: magic + [1, 0, 0, 0],
             message: "header: empty; a header is a Python dict ending in a newline"),
        Case(name: "truncated data", bytes: npy(header(), data: Array(threeDoubles.dropLast(3))),
             message: "truncated: the header promises 24 bytes of data, the file has 21"),
        Case(name: "trailing data", bytes: npy(header(), data: threeDoubles + [1]),
             message: "trailing data: the header promises 24 bytes of data, the file has 25"),
        Case(name: "shape/size mismatch", bytes: npy(header(shape: "(2, 2)"), data: threeDoubles),
             message: "truncated: the header promises 32 bytes of data, the file has 24"),
        Case(name: "no newline", bytes: patched(npy(header(), data: threeDoubles), at: 127, to: 0x20),
             message: "header: does not end with a newline at byte 127"),
        Case(name: "unknown descr", bytes: npy(header(descr: "'<x4'")),
             message: "header: unknown dtype '<x4' at byte 20; \(descrForm)"),
        Case(name: "descr without order", bytes: npy(header(descr: "'f8'")),
             message: "header: unknown dtype 'f8' at byte 20; \(descrForm)"),
        Case(name: "odd integer size", bytes: npy(header(descr: "'<i3'")),
             message: "header: unsupported dtype '<i3' (a 3-byte integer) at byte 20; \(readable)"),
        Case(name: "object", bytes: npy(header(descr: "'|O'")),
             message: "header: unsupported dtype '|O' (Python objects) at byte 20; \(readable)"),
        Case(name: "unicode", bytes: npy(header(descr: "'<U5'")),
             message: "header: unsupported dtype '<U5' (unicode strings) at byte 20; \(readable)"),
        Case(name: "complex", bytes: npy(header(descr: "'<c16'")),
             message: "header: unsupported dtype '<c16' (complex numbers) at byte 20; \(readable)"),
        Case(name: "datetime", bytes: npy(header(descr: "'<M8[ns]'")),
             message: "header: unsupported dtype '<M8[ns]' (datetime64) at byte 20; \(readable)"),
        Case(name: "long double", bytes: npy(header(descr: "'<f16'")),
             message: "header: unsupported dtype '<f16' (extended precision floats) at byte 20; \(readable)"),
        Case(name: "'|' on a wide type", bytes: npy(header(descr: "'|f8'")),
             message: "header: dtype '|f8' has no byte order at byte 20; '|' is only for one-byte types"),
        Case(name: "structured", bytes: npy(header(descr: "[('a', '<f8')]")),
             message: "header: structured dtypes are not supported ('descr' is a list) at byte 20"),
        Case(name: "descr not a string", bytes: npy(header(descr: "f8")),
             message: "header: expected a string such as '<f8' for 'descr' at byte 20; got 'f'"),
        Case(name: "no brace", bytes: npy("'descr': '<f8'"),
             message: "header: expected '{' at the start at byte 10; got \"'\""),
        Case(name: "missing colon", bytes: npy("{'descr' '<f8', 'fortran_order': False, 'shape': (3,), }"),
             message: "header: expected ':' after 'descr' at byte 19; got \"'\""),
        Case(name: "missing quote", bytes: npy("{'descr: '<f8', 'fortran_order': False, 'shape': (3,), }"),
             message: "header: unknown key 'descr: ' at byte 11; the keys are 'descr', 'fortran_order' and 'shape'"),
        Case(name: "unterminated", bytes: npy("{'descr': '<f8"),
             message: "header: unterminated string at byte 20"),
        Case(name: "unknown key", bytes: npy("{'descr': '<f8', 'order': 'C', 'shape': (3,), }"),
             message: "header: unknown key 'order' at byte 27; the keys are 'descr', 'fortran_order' and 'shape'"),
        Case(name: "duplicate key", bytes: npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"),
             message: "header: duplicate key 'descr' at byte 27"),
        Case(name: "missing key", bytes: npy("{'descr': '<f8', 'fortran_order': False}"),
             message: "header: missing key 'shape' in the dict that ends at byte 49"),
        Case(name: "empty dict", bytes: npy("{}"),
             message: "header: missing key 'descr' in the dict that ends at byte 11"),
        Case(name: "double comma", bytes: npy("{'descr': '<f8',, 'shape': (3,), }"),
             message: "header: expected a key ('descr', 'fortran_order' or 'shape') or '}' at byte 26; got ','"),
        Case(name: "no comma", bytes: npy("{'descr': '<f8' 'fortran_order': False, 'shape': (3,), }"),
             message: "header: expected ',' or '}' after the value of 'descr' at byte 26; got \"'\""),
        Case(name: "fortran lowercase", bytes: npy(header(fortran: "true")),
             message: "header: expected True or False for 'fortran_order' at byte 44; got 'true'"),
        Case(name: "fortran int", bytes: npy(header(fortran: "0")),
             message: "header: expected True or False for 'fortran_order' at byte 44; got '0'"),
        Case(name: "shape without comma", bytes: npy(header(shape: "(3)")),
             message: "header: a 1-axis shape needs a trailing comma, (3,) not (3), at byte 60"),
        Case(name: "shape negative", bytes: npy(header(shape: "(-3,)")),
             message: "header: negative axis length in 'shape' at byte 61"),
        Case(name: "shape nested", bytes: npy(header(shape: "((3, 4),)")),
             message: "header: expected an axis length (a non-negative integer) in 'shape' at byte 61; got '('"),
        Case(name: "shape list", bytes: npy(header(shape: "[3]")),
             message: "header: expected a tuple such as (3, 4) for 'shape' at byte 60; got '['"),
        Case(name: "shape float", bytes: npy(header(shape: "(3.0,)")),
             message: "header: expected an axis length (a non-negative integer) in 'shape' at byte 61; got '3.0'"),
        Case(name: "shape unclosed", bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4"),
             message: "header: expected ',' or ')' in 'shape' at byte 127; got the end of the header"),
        Case(name: "shape huge axis", bytes: npy(header(shape: "(123456789012345678901234567890,)")),
             message: "header: axis length 123456789012345678901234… in 'shape' is too large at byte 61"),
        Case(name: "shape overflow", bytes: npy(header(shape: "(4294967296, 4294967296)")),
             message: "header: shape (4294967296, 4294967296) at byte 60 is too large: "
                + "8-byte elements would take more than 9223372036854775807 bytes"),
        Case(name: "shape with 65 axes", bytes: npy(header(shape: "(" + String(repeating: "1, ", count: 65) + ")")),
             message: "header: 'shape' has more than 64 axes at byte 60"),
        Case(name: "after brace", bytes: npy(header() + " x"),
             message: "header: unexpected 'x' after the closing '}' at byte 68"),
        Case(name: "latin-1 byte", bytes: patched(npy("{'descr': '<f8', X}"), at: 27, to: 0xE9),
             message: "header: expected a key ('descr', 'fortran_order' or 'shape') or '}' at byte 27; got byte 0xE9"),
        Case(name: "v3 bad UTF-8", bytes: patched(npy(header(), data: threeDoubles, version: 3), at: 20, to: 0xFF),
             message: "header: not valid UTF-8 at byte 20"),
    ]

    @Test(arguments: cases)
    func rejects(_ bad: Case) {
        let error = #expect(throws: NumPyError.self) { try NumPyArray(bytes: bad.bytes, source: "data/x.npy") }
        #expect(error?.description == "data/x.npy: \(bad.message)")
    }
}

@Suite struct NumPyAccessorTests {
    static func fixture(_ name: String) throws -> NumPyArray {
        try NumPyArray(bytes: NumPyFixtures.bytes(name), source: "data/\(name)")
    }

    @Test func accessorsSayWhyTheyCannotRead() throws {
        let matrix = try Self.fixture("float64_f_3x4.npy")
        let vector = try Self.fixture("int16_le.npy")
        let big = try Self.fixture("uint64_above_int64.npy")
        let cases: [(String, () throws -> Void)] = [
            ("data/float64_f_3x4.npy: int64s() reads bool and integer arrays; this one is float64",
             { _ = try matrix.int64s() }),
            ("data/int16_le.npy: bools() reads bool arrays; this one is int16", { _ = try vector.bools() }),
            ("data/int16_le.npy: row(_:) needs a 2-D array; this one has shape (6,)", { _ = try vector.row(0) }),
            ("data/int16_le.npy: column(_:) needs a 2-D array; this one has shape (6,)", { _ = try vector.column(0) }),
            ("data/float64_f_3x4.npy: row 3 is out of range for shape (3, 4)", { _ = try matrix.row(3) }),
            ("data/float64_f_3x4.npy: row -1 is out of range for shape (3, 4)", { _ = try matrix.row(-1) }),
            ("data/float64_f_3x4.npy: column 4 is out of range for shape (3, 4)", { _ = try matrix.column(4) }),
            ("data/uint64_above_int64.npy: uint64 element [1] is 9223372036854775808, above Int64.max",
             { _ = try big.int64s() }),
        ]
        for (message, access) in cases {
            let error = #expect(throws: NumPyError.self) { try access() }
            #expect(error?.description == message)
        }
    }

    @Test func fortranOrderReadsAsCOrder() throws {
        let c = try Self.fixture("int32_c_2x3x4.npy")
        let f = try Self.fixture("int32_f_2x3x4.npy")
        #expect(!c.isFortranOrder && f.isFortranOrder)
        #expect(try f.int64s() == Array(-7..<17))
        #expect(try c.int64s() == f.int64s())
        #expect(c.storage != f.storage)
        let matrix = try Self.fixture("float64_f_3x4.npy")
        #expect(try matrix.row(1) == [3.75, 5.25, 6.75, 8.25])
        #expect(try matrix.column(2) == [0.75, 6.75, 12.75])
        let empty = try Self.fixture("empty_int64_0x3.npy")
        #expect(try empty.column(2) == [])
        #expect(empty.doubles() == [])
    }

    @Test func missingFileSaysSo() {
        let error = #expect(throws: NumPyError.self) { try NumPyArray(contentsOf: URL(fileURLWithPath: "no/such.npy")) }
        #expect(error?.description == "no/such.npy: cannot read: no such file")
    }
}

@Suite struct NumPyArchiveTests {
    static let odd = NumPyFixtures.folder.appending(path: "odd_members.npz")

    @Test func listsMembersAsNumPyFiles() throws {
        #expect(try NumPyArchive(contentsOf: Self.odd).names == ["notes.txt", "short"])
        let savez = try NumPyArchive(contentsOf: NumPyFixtures.folder.appending(path: "savez.npz"))
        #expect(savez.names == ["labels", "mask", "arr_0"])
    }

    /// Each name, and what follows the archive's path in the error.
    @Test(arguments: [
        ("short", " member 'short.npy': truncated: the header promises 24 bytes of data, the file has 16"),
        ("notes.txt", " member 'notes.txt': not a .npy file: it does not start with the magic string \\x93NUMPY"),
        ("labels", ": no array named 'labels'; the archive holds 'notes.txt', 'short'"),
    ])
    func memberErrorsNameTheMember(name: String, message: String) throws {
        let archive = try NumPyArchive(contentsOf: Self.odd)
        let error = #expect(throws: NumPyError.self) { try archive.array(named: name) }
        #expect(error?.description == Self.odd.relativePath + message)
    }

    @Test func corruptArchivesThrow() throws {
        let notZip = #expect(throws: NumPyError.self) { try NumPyArchive(bytes: Array("not a zip".utf8), source: "x.npz") }
        #expect(notZip?.description == "x.npz: not a zip archive: no end of central directory record")
        // Flip one data byte of the stored 'labels.npy' (its last element): the CRC-32 no longer matches.
        var bytes = try NumPyFixtures.bytes("savez.npz")
        let start = try #require(bytes.firstRange(of: NumPyArrayErrorTests.magic))
        bytes[start.lowerBound + 128 + 31] ^= 0x01
        let archive = try NumPyArchive(bytes: bytes, source: "x.npz")
        let error = #expect(throws: NumPyError.self) { try archive.array(named: "labels") }
        #expect(error?.description == "x.npz member 'labels.npy': corrupt: the CRC-32 checksum does not match")
        #expect(try archive.array(named: "mask").bools() == [true, false, true, true])
    }

    /// savez.npz (stored) or savez_compressed.npz (deflated) with `patch` applied.
    static func patched(_ name: String, _ patch: (inout [UInt8], _ directory: Int, _ end: Int) -> Void) throws -> [UInt8] {
        var bytes = try NumPyFixtures.bytes(name)
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16
        patch(&bytes, directory, end)
        return bytes
    }

    @Test func damagedDirectoriesAndMembersSaySo() throws {
        let directoryOutside = try Self.patched("savez.npz") { bytes, _, end in bytes[end + 19] = 0x7F }
        let unknownMethod = try Self.patched("savez.npz") { bytes, directory, _ in bytes[directory + 10] = 12 }
        let encrypted = try Self.patched("savez.npz") { bytes, directory, _ in bytes[directory + 8] |= 1 }
        let wrongName = try Self.patched("savez.npz") { bytes, _, _ in bytes[30] = UInt8(ascii: "L") }
        // Deflate data starts at 60: the 30-byte local header, "labels.npy", a 20-byte ZIP64 extra field.
        let badBlockType = try Self.patched("savez_compressed.npz") { bytes, _, _ in bytes[60] = 0x07 }
        let flippedBits = try Self.patched("savez_compressed.npz") { bytes, _, _ in bytes[80] ^= 0xFF }
        // labels.npy extracts to 160 bytes; its central directory entry is the first.
        let declaredSmaller = try Self.patched("savez_compressed.npz") { bytes, directory, _ in bytes[directory + 24] = 100 }
        let declaredLarger = try Self.patched("savez_compressed.npz") { bytes, directory, _ in bytes[directory + 24] = 200 }
        for (bytes, message) in [
            (directoryOutside,
             "x.npz: corrupt zip: the central directory (165 bytes at byte 2130707077) runs past byte 810"),
            (unknownMethod,
             "x.npz: unsupported zip: member 'labels.npy' uses compression method 12; readable are stored and deflated"),
            (encrypted, "x.npz: unsupported zip: member 'labels.npy' is encrypted"),
            (wrongName, "x.npz: corrupt zip: member 'labels.npy' has a different name in its local header"),
        ] {
            let error = #expect(throws: NumPyError.self) { try NumPyArchive(bytes: bytes, source: "x.npz") }
            #expect(error?.description == message)
        }
        for (bytes, message) in [
            (badBlockType, "x.npz member 'labels.npy': corrupt: the deflate stream is damaged"),
            (flippedBits, "x.npz member 'labels.npy': corrupt: the CRC-32 checksum does not match"),
            (declaredSmaller, "x.npz member 'labels.npy': corrupt: it inflates past its declared 100 bytes"),
            (declaredLarger, "x.npz member 'labels.npy': corrupt: it inflates to 160 bytes, the archive declares 200"),
        ] {
            let archive = try NumPyArchive(bytes: bytes, source: "x.npz")
            let error = #expect(throws: NumPyError.self) { try archive.array(named: "labels") }
            #expect(error?.description == message)
            #expect(try archive.array(named: "mask").count == 4)
        }
    }
}

/// Never trap: every fixture cut at every length, and with random bytes changed.
@Suite struct NumPyRobustnessTests {
    /// SplitMix64, so the cases are the same on every run.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Reads `bytes` as a .npy file and, when that works, through every accessor; returns whether it read.
    @discardableResult
    static func exercise(_ bytes: [UInt8]) -> Bool {
        guard let array = try? NumPyArray(bytes: bytes, source: "fuzz.npy") else { return false }
        #expect(array.count * array.dtype.size == array.storage.count)
        #expect(array.doubles().count == array.count)
        _ = try? array.int64s()
        _ = try? array.bools()
        _ = try? array.row(0)
        _ = try? array.column(0)
        return true
    }

    /// Reads `bytes` as an .npz file and every member it lists.
    static func exerciseArchive(_ bytes: [UInt8]) {
        guard let archive = try? NumPyArchive(bytes: bytes, source: "fuzz.npz") else { return }
        for name in archive.names {
            if let array = try? archive.array(named: name) { _ = array.doubles() }
        }
    }

    /// Up to four bytes replaced, biased to the header, where the parsing is.
    static func mutated(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var copy = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let limit = Bool.random(using: &random) ? min(copy.count, 128) : copy.count
            let at = Int.random(in: 0..<limit, using: &random)
            // Half the time a byte the header grammar or the zip layout cares about.
            let specials: [UInt8] = [0x00, 0xFF, 0x27, 0x28, 0x29, 0x2C, 0x2D, 0x3A, 0x7B, 0x7D, 0x39, 0x0A, 0x20]
            copy[at] = Bool.random(using: &random)
                ? UInt8.random(in: 0...255, using: &random) : specials.randomElement(using: &random) ?? 0
        }
        return copy
    }

    @Test func truncatedAtEveryByte() throws {
        var cases = 0
        for name in NumPyFixtures.arrayNames {
            let bytes = try NumPyFixtures.bytes(name)
            for length in 0..<bytes.count {
                #expect(!Self.exercise(Array(bytes[..<length])), "\(name) cut to \(length) bytes still reads")
                cases += 1
            }
            #expect(Self.exercise(bytes))
        }
        for name in NumPyFixtures.archiveNames + ["odd_members.npz"] {
            let bytes = try NumPyFixtures.bytes(name)
            for length in stride(from: 0, to: bytes.count, by: 3) {
                Self.exerciseArchive(Array(bytes[..<length]))
                cases += 1
            }
        }
        #expect(cases > 5_000)
    }

    @Test func randomBytesChanged() throws {
        var random = SplitMix64(state: 20_251_125)
        var (cases, read) = (0, 0)
        for name in NumPyFixtures.arrayNames {
            let bytes = try NumPyFixtures.bytes(name)
            for _ in 0..<120 {
                if Self.exercise(Self.mutated(bytes, using: &random)) { read += 1 }
                cases += 1
            }
        }
        for name in NumPyFixtures.archiveNames {
            let bytes = try NumPyFixtures.bytes(name)
            for _ in 0..<300 {
                Self.exerciseArchive(Self.mutated(bytes, using: &random))
                cases += 1
            }
        }
        #expect(cases == 35 * 120 + 3 * 300)
        // Some mutations land in data or padding and still read; most in the header do not.
        #expect(read > 0 && read < cases)
    }
}
