import Foundation
import Testing

@testable import MLRunData

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
            (
                directoryOutside,
                "x.npz: corrupt zip: the central directory (165 bytes at byte 2130707077) runs past byte 810"
            ),
            (
                unknownMethod,
                "x.npz: unsupported zip: member 'labels.npy' uses compression method 12; readable are stored and deflated"
            ),
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
