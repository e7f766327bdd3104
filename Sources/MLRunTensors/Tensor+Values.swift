// PLACEHOLDER until the safetensors branch lands: the main session's minimal element reader.
extension Tensor {
    /// Element `index` (C order) as a `Double`, for readable dtypes; NaN otherwise.
    package func double(at index: Int) -> Double {
        let raw = bytes
        switch dtype {
        case .bool, .uint8: return Double(raw[index])
        case .int8: return Double(Int8(bitPattern: raw[index]))
        case .int16: return Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self)))
        case .uint16: return Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
        case .int32: return Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)))
        case .uint32: return Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
        case .int64: return Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)))
        case .uint64: return Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
        case .float32: return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))))
        case .float64: return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
        case .float16: return Double(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))))
        case .bfloat16:
            let bits = UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))) << 16
            return Double(Float(bitPattern: bits))
        default: return .nan
        }
    }
}
