import Foundation

/// Distinct byte strings (a text column's values) with small dense codes 0, 1, 2… in order of
/// first appearance, without building a `String` per field.
///
/// A linear scan with `memcmp` while there are at most eight values (the usual label, device
/// or category column, where hashing costs more than comparing), a hash table past that.
package struct ByteDictionary: Sendable {
    /// The distinct values, by code.
    package internal(set) var values: [[UInt8]] = []
    @usableFromInline var table: [[UInt8]: Int32] = [:]

    package init() {}

    /// The number of distinct values.
    package var count: Int { values.count }

    /// Values of up to 8 bytes packed into one integer each (with their length), for the
    /// linear scan: one comparison per value instead of a `memcmp` call.
    @usableFromInline var packed: [UInt64] = []
    @usableFromInline var lengths: [Int] = []

    /// The code of `bytes`, added if new.
    @inlinable
    package mutating func code(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if bytes.count <= 8 && values.count <= 8 {
            let key = Self.pack(bytes)
            for index in 0..<packed.count where packed[index] == key && lengths[index] == bytes.count {
                return Int32(index)
            }
        }
        return slowCode(bytes)
    }

    @usableFromInline
    mutating func slowCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if values.count <= 8 {
            for (code, value) in values.enumerated() where value.count == bytes.count {
                if bytes.isEmpty || value.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                    return Int32(code)
                }
            }
            return add(Array(bytes))
        }
        let key = Array(bytes)
        if let code = table[key] { return code }
        return add(key)
    }

    /// Up to 8 bytes as one little-endian integer (zero-padded).
    @inlinable @inline(__always)
    static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for index in 0..<bytes.count { key |= UInt64(bytes[index]) << (UInt64(index) &* 8) }
        return key
    }

    @usableFromInline mutating func add(_ key: [UInt8]) -> Int32 {
        let code = Int32(values.count)
        values.append(key)
        if key.count <= 8 {
            packed.append(key.withUnsafeBufferPointer(Self.pack))
            lengths.append(key.count)
        } else {
            // Never matched by the packed scan (a length above 8).
            packed.append(0)
            lengths.append(-1)
        }
        if values.count == 9 {
            for (index, value) in values.enumerated() { table[value] = Int32(index) }
        } else if values.count > 9 {
            table[key] = code
        }
        return code
    }
}
