extension NumPyArchive {
    /// The members of a zip archive, read from its central directory and checked strictly.
    ///
    /// Layout per PKWARE's APPNOTE: local file headers and member data, then the central
    /// directory, then (ZIP64 only) the ZIP64 end record and its locator, then the end of
    /// central directory record, whose comment must reach the end of the file. Every offset and
    /// size is checked against the file before it is used, so a corrupt archive throws and
    /// nothing reads out of bounds.
    ///
    /// ZIPFoundation's `Archive` is not used for this: on a truncated archive held in memory it
    /// traps (`Archive.MemoryFile.readData` forms a negative range), and ZIP64 fields near 2^64
    /// overflow its offset arithmetic. ZIPFoundation still inflates members and computes their
    /// CRC-32 (`NumPyArchive.extract`).
    ///
    /// Generic over the bytes so MLRunTensors reads the directory of a mapped checkpoint in place.
    package struct CentralDirectory<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
        /// One member as the central directory describes it, checked against its local header.
        package struct Member: Equatable, Sendable {
            /// The path in the archive, e.g. `probs.npy`.
            package var path: String
            /// 0 for stored, 8 for deflated.
            package var method: Int
            package var crc32: UInt32
            /// Where the stored (possibly compressed) bytes are in the archive.
            package var data: Range<Int>
            package var uncompressedSize: Int
        }

        /// The members, in central directory order.
        package var members: [Member] = []

        private let bytes: Bytes
        private let source: String

        /// Reads the central directory of the zip archive `bytes` (indexed from 0).
        package init(_ bytes: Bytes, source: String) throws(NumPyError) {
            self.bytes = bytes
            self.source = source
            let end = try endRecord()
            var offset = end.directoryStart
            for index in 0..<end.count {
                members.append(try member(index, at: &offset, directory: end.directoryStart..<end.directoryEnd))
            }
            guard offset == end.directoryEnd else {
                throw corrupt("the central directory ends at byte \(offset), its end record says \(end.directoryEnd)")
            }
        }

        /// The end of central directory record (and the ZIP64 one when present): where the
        /// directory is and how many entries it holds.
        private func endRecord() throws(NumPyError) -> (count: Int, directoryStart: Int, directoryEnd: Int) {
            // The record is 22 bytes plus a comment of up to 65535 bytes that must end the file.
            var position = bytes.count - 22
            let lowest = max(0, bytes.count - 22 - 0xFFFF)
            while position >= lowest {
                if u32(position) == 0x0605_4B50, position + 22 + u16(position + 20) == bytes.count { break }
                position -= 1
            }
            guard position >= lowest else {
                throw NumPyError(source: source, message: "not a zip archive: no end of central directory record")
            }
            guard u16(position + 4) == 0, u16(position + 6) == 0 else {
                throw NumPyError(source: source, message: "unsupported zip: the archive spans several disks")
            }
            var count = u16(position + 10)
            var size = UInt64(u32(position + 12))
            var start = UInt64(u32(position + 16))
            var limit = position
            let locator = position - 20
            if locator >= 0, u32(locator) == 0x0706_4B50 {
                // ZIP64: the locator points at the ZIP64 end record, which holds 64-bit values.
                let record = u64(locator + 8)
                guard locator >= 56, record <= UInt64(locator - 56), u32(Int(record)) == 0x0606_4B50 else {
                    throw corrupt("the ZIP64 end record locator at byte \(locator) points to no ZIP64 end record")
                }
                let recordStart = Int(record)
                guard let entries = Int(exactly: u64(recordStart + 32)) else {
                    throw corrupt("the ZIP64 end record at byte \(recordStart) declares too many entries")
                }
                count = entries
                size = u64(recordStart + 40)
                start = u64(recordStart + 48)
                limit = recordStart
            }
            guard start <= UInt64(limit), size <= UInt64(limit) - start else {
                throw corrupt("the central directory (\(size) bytes at byte \(start)) runs past byte \(limit)")
            }
            let directoryStart = Int(start)
            let directoryEnd = directoryStart + Int(size)
            guard count <= (directoryEnd - directoryStart) / 46 else {
                throw corrupt("\(count) entries cannot fit in a central directory of \(size) bytes")
            }
            return (count, directoryStart, directoryEnd)
        }

        /// Central directory entry `index` at `offset` (moved past it), and its local header.
        private func member(_ index: Int, at offset: inout Int, directory: Range<Int>) throws(NumPyError) -> Member {
            let entry = offset
            let directoryEnd = directory.upperBound
            guard directoryEnd - entry >= 46, u32(entry) == 0x0201_4B50 else {
                throw corrupt("central directory entry \(index + 1) at byte \(entry) is missing or damaged")
            }
            let nameLength = u16(entry + 28)
            let extraLength = u16(entry + 30)
            let commentLength = u16(entry + 32)
            let entryEnd = entry + 46 + nameLength + extraLength + commentLength
            guard entryEnd <= directoryEnd else {
                throw corrupt("central directory entry \(index + 1) at byte \(entry) runs past the directory")
            }
            offset = entryEnd
            let path = name(entry + 46..<entry + 46 + nameLength)
            if u16(entry + 8) & 0x0001 != 0 { throw unsupported("member '\(path)' is encrypted") }
            let method = u16(entry + 10)
            guard method == 0 || method == 8 else {
                throw unsupported(
                    "member '\(path)' uses compression method \(method); readable are stored and deflated")
            }
            guard u16(entry + 34) == 0 else { throw unsupported("member '\(path)' is on another disk") }

            // 32-bit fields set to 0xFFFFFFFF are in the ZIP64 extra field, in this order.
            var sizes = [UInt64(u32(entry + 24)), UInt64(u32(entry + 20)), UInt64(u32(entry + 42))]
            if sizes.contains(0xFFFF_FFFF) {
                try readZIP64(
                    into: &sizes, extra: entry + 46 + nameLength..<entry + 46 + nameLength + extraLength,
                    path: path)
            }
            guard let uncompressed = Int(exactly: sizes[0]), let compressed = Int(exactly: sizes[1]),
                let local = Int(exactly: sizes[2]), local <= bytes.count - 30, u32(local) == 0x0403_4B50
            else {
                throw corrupt("member '\(path)' has no local header where the central directory says")
            }
            let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
            guard compressed <= directory.lowerBound - dataStart else {
                throw corrupt("member '\(path)' runs past the start of the central directory")
            }
            let localName = bytes[local + 30..<local + 30 + u16(local + 26)]
            guard localName.elementsEqual(bytes[entry + 46..<entry + 46 + nameLength]) else {
                throw corrupt("member '\(path)' has a different name in its local header")
            }
            guard method == 8 || compressed == uncompressed else {
                throw corrupt(
                    "stored member '\(path)' declares \(compressed) stored and \(uncompressed) extracted bytes")
            }
            return Member(
                path: path, method: method, crc32: UInt32(u32(entry + 16)),
                data: dataStart..<dataStart + compressed, uncompressedSize: uncompressed)
        }

        /// Replaces the 0xFFFFFFFF values among [uncompressed, compressed, local header offset]
        /// with those of the ZIP64 extra field (header ID 1) in `extra`.
        private func readZIP64(into sizes: inout [UInt64], extra: Range<Int>, path: String) throws(NumPyError) {
            var field = extra.lowerBound
            while field + 4 <= extra.upperBound {
                let id = u16(field)
                let length = u16(field + 2)
                guard field + 4 + length <= extra.upperBound else { break }
                if id == 0x0001 {
                    var value = field + 4
                    for i in sizes.indices where sizes[i] == 0xFFFF_FFFF {
                        guard value + 8 <= field + 4 + length else { break }
                        sizes[i] = u64(value)
                        value += 8
                    }
                    if !sizes.contains(0xFFFF_FFFF) { return }
                    break
                }
                field += 4 + length
            }
            throw corrupt("member '\(path)' lacks the ZIP64 sizes its central directory entry calls for")
        }

        // MARK: - Bytes

        /// A member path: UTF-8 when valid (flagged or ASCII), else each byte as the code point
        /// of the same value (Latin-1, close to the CP437 the format specifies).
        private func name(_ range: Range<Int>) -> String {
            let slice = bytes[range]
            if let text = String(validating: slice, as: UTF8.self) { return text }
            var text = ""
            for byte in slice { text.unicodeScalars.append(Unicode.Scalar(byte)) }
            return text
        }

        /// Little-endian integers; callers check the range first (out of range reads as 0).
        private func u16(_ at: Int) -> Int {
            guard at >= 0, at + 2 <= bytes.count else { return 0 }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }

        private func u32(_ at: Int) -> Int {
            guard at >= 0, at + 4 <= bytes.count else { return 0 }
            return u16(at) | u16(at + 2) << 16
        }

        private func u64(_ at: Int) -> UInt64 {
            guard at >= 0, at + 8 <= bytes.count else { return 0 }
            return UInt64(u32(at)) | UInt64(u32(at + 4)) << 32
        }

        private func corrupt(_ message: String) -> NumPyError {
            NumPyError(source: source, message: "corrupt zip: \(message)")
        }

        private func unsupported(_ message: String) -> NumPyError {
            NumPyError(source: source, message: "unsupported zip: \(message)")
        }
    }
}
