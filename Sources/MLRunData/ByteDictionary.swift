import Foundation

/// Distinct byte strings (a text column's values) with small dense codes 0, 1, 2… in order of
/// first appearance, without building a `String` per field.
///
/// A linear scan with `memcmp` while there are at most eight values (the usual label, device
/// or category column, where hashing costs more than comparing), a hash table past that.
public struct ByteDictionary: Sendable {
    /// The distinct values, by code.
    public private(set) var values: [[UInt8]] = []
    private var table: [[UInt8]: Int32] = [:]

    public init() {}

    /// The number of distinct values.
    public var count: Int { values.count }

    /// The code of `bytes`, added if new.
    public mutating func code(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
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

    private mutating func add(_ key: [UInt8]) -> Int32 {
        let code = Int32(values.count)
        values.append(key)
        if values.count == 9 {
            for (index, value) in values.enumerated() { table[value] = Int32(index) }
        } else if values.count > 9 {
            table[key] = code
        }
        return code
    }
}
