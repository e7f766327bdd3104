import Foundation
import Testing

@testable import MLRunData

/// The fixtures numpy wrote (`scripts/fixtures/make_npy_fixtures.py`) and what numpy says they hold.
enum NumPyFixtures {
    static let folder: URL =
        Bundle.module.resourceURL?
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
        let order: NumPyArray.ByteOrder =
            switch expected.descr.first {
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

@Suite struct NumPyAccessorTests {
    static func fixture(_ name: String) throws -> NumPyArray {
        try NumPyArray(bytes: NumPyFixtures.bytes(name), source: "data/\(name)")
    }

    @Test func accessorsSayWhyTheyCannotRead() throws {
        let matrix = try Self.fixture("float64_f_3x4.npy")
        let vector = try Self.fixture("int16_le.npy")
        let big = try Self.fixture("uint64_above_int64.npy")
        let cases: [(String, () throws -> Void)] = [
            (
                "data/float64_f_3x4.npy: int64s() reads bool and integer arrays; this one is float64",
                { _ = try matrix.int64s() }
            ),
            ("data/int16_le.npy: bools() reads bool arrays; this one is int16", { _ = try vector.bools() }),
            ("data/int16_le.npy: row(_:) needs a 2-D array; this one has shape (6,)", { _ = try vector.row(0) }),
            ("data/int16_le.npy: column(_:) needs a 2-D array; this one has shape (6,)", { _ = try vector.column(0) }),
            ("data/float64_f_3x4.npy: row 3 is out of range for shape (3, 4)", { _ = try matrix.row(3) }),
            ("data/float64_f_3x4.npy: row -1 is out of range for shape (3, 4)", { _ = try matrix.row(-1) }),
            ("data/float64_f_3x4.npy: column 4 is out of range for shape (3, 4)", { _ = try matrix.column(4) }),
            (
                "data/uint64_above_int64.npy: uint64 element [1] is 9223372036854775808, above Int64.max",
                { _ = try big.int64s() }
            ),
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
