#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1-based line a byte offset of a file lies on, for the few rows a sample shows (rows
/// grouped by key keep only their offset).
package enum LineNumbers {
    /// Line numbers of `offsets` in the file at `path`: 1 + the line breaks before each offset,
    /// counted in one read of the file up to the largest offset. Offsets that cannot be read
    /// are missing from the result.
    package static func of(_ offsets: [Int64], inFileAt path: String) -> [Int64: Int64] {
        let wanted = offsets.filter { $0 >= 0 }.sorted()
        guard let last = wanted.last else { return [:] }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [:] }
        defer { close(descriptor) }
        let size = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var result: [Int64: Int64] = [:]
        var position: Int64 = 0
        var breaks: Int64 = 0
        var next = 0
        while next < wanted.count, position <= last {
            let count = read(descriptor, buffer, size)
            guard count > 0 else { break }
            let chunkEnd = position + Int64(count)
            var i = 0
            while next < wanted.count, wanted[next] < chunkEnd {
                let stop = Int(wanted[next] - position)
                breaks += Int64(CSVReader.lineBreaks(in: UnsafeBufferPointer(start: buffer + i, count: stop - i)))
                i = stop
                result[wanted[next]] = breaks + 1
                next += 1
            }
            breaks += Int64(CSVReader.lineBreaks(in: UnsafeBufferPointer(start: buffer + i, count: count - i)))
            position = chunkEnd
        }
        return result
    }
}
