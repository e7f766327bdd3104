extension Tensor {
    /// numpy's descr for this tensor's dtype (`<f4`), or `nil` where numpy has no such type
    /// (BF16, the F8, F6 and F4 types).
    package var numpyDescr: String? {
        switch dtype {
        case .bool: "|b1"
        case .uint8: "|u1"
        case .int8: "|i1"
        case .int16: "<i2"
        case .uint16: "<u2"
        case .int32: "<i4"
        case .uint32: "<u4"
        case .int64: "<i8"
        case .uint64: "<u8"
        case .float16: "<f2"
        case .float32: "<f4"
        case .float64: "<f8"
        case .complex64: "<c8"
        case .bfloat16, .float8E4M3, .float8E5M2, .float8E4M3FNUZ, .float8E5M2FNUZ, .float8E8M0, .float6E2M3, .float6E3M2, .float4: nil
        }
    }

    /// The tensor as a `.npy` file (format 1.0, C order), as `np.save` writes it; `nil` when
    /// numpy has no type for its dtype.
    package func npyFileBytes() -> [UInt8]? {
        guard let descr = numpyDescr else { return nil }
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        // numpy pads with spaces so that the data starts on a multiple of 64, ending in '\n'.
        let unpadded = 10 + header.count + 1
        header += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64)
        header.append(0x0A)
        guard header.count <= Int(UInt16.max) else { return nil }
        var file: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        file.reserveCapacity(file.count + header.count + byteRange.count)
        file += header
        file += bytes
        return file
    }
}
