import Foundation
import ZIPFoundation

/// The arrays of a NumPy `.npz` file: a zip archive of `.npy` members, as `np.savez` (stored)
/// and `np.savez_compressed` (deflated) write it.
///
/// ``names`` lists the members as `np.load(path).files` does: in archive order, without the
/// `.npy` suffix. The zip central directory is read and every offset in it checked when the
/// archive opens; a member is extracted when asked for (deflated ones inflated by ZIPFoundation)
/// and checked against its CRC-32 and declared size. A corrupt archive or member throws
/// ``NumPyError``; none traps.
package struct NumPyArchive: Sendable {
    /// The member names, in archive order, without the `.npy` suffix (`x` for `x.npy`; a member
    /// not ending in `.npy` keeps its full name).
    package let names: [String]
    /// Where the archive came from, as errors name it.
    package let source: String
    /// The members as the central directory describes them, parallel to `names`.
    private let members: [CentralDirectory<[UInt8]>.Member]
    /// The whole archive.
    private let bytes: [UInt8]

    /// Reads the member list of the `.npz` file at `url`; errors name it as `url.relativePath`.
    package init(contentsOf url: URL) throws(NumPyError) {
        let source = url.relativePath
        try self.init(bytes: [UInt8](try NumPyArray.contents(of: url, source: source)), source: source)
    }

    /// Reads the member list of a `.npz` file held in memory; errors name it `source`.
    package init(bytes: [UInt8], source: String) throws(NumPyError) {
        self.bytes = bytes
        self.source = source
        members = try CentralDirectory<[UInt8]>(bytes, source: source).members
        names = members.map { $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : $0.path }
    }

    /// The array stored as `name` (a name from ``names``, or a member's full path).
    ///
    /// Throws when there is no such member, when it does not extract (a damaged deflate
    /// stream, a wrong CRC-32 or size), or when it is not a valid `.npy` file; errors about the
    /// member name it as `ARCHIVE member 'PATH'`.
    package func array(named name: String) throws(NumPyError) -> NumPyArray {
        // As numpy's NpzFile: an exact member path first, then the name plus ".npy".
        let member = members.first { $0.path == name } ?? members.first { $0.path == name + ".npy" }
        guard let member else {
            let known = names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
            throw NumPyError(source: source, message: "no array named '\(name)'; the archive holds \(known)")
        }
        let memberSource = "\(source) member '\(member.path)'"
        let contents = try extract(member, source: memberSource)
        return try NumPyArray(bytes: contents, source: memberSource)
    }

    /// The extracted bytes of `member`, checked against its size and CRC-32.
    private func extract(_ member: CentralDirectory<[UInt8]>.Member, source: String) throws(NumPyError) -> [UInt8] {
        let stored = Data(bytes[member.data])
        guard member.method == 8 else {
            guard stored.crc32(checksum: 0) == member.crc32 else {
                throw NumPyError(source: source, message: "corrupt: the CRC-32 checksum does not match")
            }
            return [UInt8](stored)
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(member.uncompressedSize, 1 << 24))
        let chunkSize = 1 << 16
        let checksum: CRC32
        do {
            checksum = try Data.decompress(
                size: Int64(stored.count), bufferSize: chunkSize, skipCRC32: false,
                provider: { position, size in
                    // ZIPFoundation's zlib path on Linux reads `size` bytes whatever the chunk's
                    // length and asks again until the stream ends: so pad the last chunk with
                    // zeros, and stop a stream that runs past the member.
                    guard let start = Int(exactly: position), start < stored.count else {
                        throw InflateStop.endOfMember
                    }
                    var chunk = stored.subdata(in: start..<min(stored.count, start + size))
                    if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                    return chunk
                },
                consumer: { chunk in
                    guard chunk.count <= member.uncompressedSize - output.count else { throw InflateStop.tooLarge }
                    output.append(contentsOf: chunk)
                })
        } catch InflateStop.endOfMember {
            throw NumPyError(source: source, message: "corrupt: the deflate stream does not end within the member")
        } catch InflateStop.tooLarge {
            throw NumPyError(
                source: source, message: "corrupt: it inflates past its declared \(member.uncompressedSize) bytes")
        } catch {
            throw NumPyError(source: source, message: "corrupt: the deflate stream is damaged")
        }
        guard output.count == member.uncompressedSize else {
            throw NumPyError(
                source: source,
                message: "corrupt: it inflates to \(output.count) bytes, "
                    + "the archive declares \(member.uncompressedSize)")
        }
        guard checksum == member.crc32 else {
            throw NumPyError(source: source, message: "corrupt: the CRC-32 checksum does not match")
        }
        return output
    }

    /// Why the extract callbacks stopped ZIPFoundation's inflate loop.
    private enum InflateStop: Error {
        case endOfMember
        case tooLarge
    }
}
