import Foundation
import Testing

@testable import MLRunData

/// Never trap: every fixture cut at every length, and with random bytes changed.
@Suite struct NumPyRobustnessTests {
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
            copy[at] =
                Bool.random(using: &random)
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
        var random = SplitMix64(seed: 20_251_125)
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
