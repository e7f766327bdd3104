import Foundation

/// Writes safetensors files as the reference writer (`safetensors` 0.8.0, e.g.
/// `safetensors.numpy.save_file`) writes them, byte for byte.
///
/// The reference's rules: tensors sorted by dtype, the widest-aligned first (descending in the
/// format's dtype order, ``TensorDType``'s declaration order), then by name (byte order of
/// UTF-8); the data laid out in that order without gaps; the header compact JSON as serde_json
/// writes it (`__metadata__` first when there is one, then each tensor as
/// `{"dtype":…,"shape":[…],"data_offsets":[begin,end]}`; strings escape `"` and `\`, control
/// characters as `\b \t \n \f \r` or `\u00xx`, and nothing else); the header padded with spaces
/// to a multiple of 8 bytes.
///
/// One difference: the reference writes `__metadata__`'s keys in a hash map's (random) order;
/// mlrun writes them sorted, so output with two or more metadata keys matches the reference's
/// only up to that order.
package enum SafetensorsWriter {
    /// The file's bytes for `tensors` and `metadata` (nil: no `__metadata__` member).
    ///
    /// Throws when two tensors share a name, a tensor is named `__metadata__`, or a tensor's
    /// byte count is not what its shape and dtype need.
    package static func encode(_ tensors: [Tensor], metadata: [String: String]? = nil) throws(TensorFileError) -> [UInt8] {
        var names: Set<String> = []
        for tensor in tensors {
            func fail(_ message: String) -> TensorFileError { TensorFileError(source: "", tensor: tensor.name, message: message) }
            guard tensor.name != "__metadata__" else { throw fail("a tensor cannot be named __metadata__") }
            guard names.insert(tensor.name).inserted else { throw fail("two tensors have this name") }
            guard let needed = byteCount(shape: tensor.shape, dtype: tensor.dtype), needed == tensor.byteRange.count else {
                throw fail("\(tensor.byteRange.count) bytes do not hold shape \(tensor.shape) of \(tensor.dtype)")
            }
        }
        let rank = Dictionary(uniqueKeysWithValues: TensorDType.allCases.enumerated().map { ($1, $0) })
        let ordered = tensors.sorted { left, right in
            let (leftRank, rightRank) = (rank[left.dtype] ?? 0, rank[right.dtype] ?? 0)
            return leftRank != rightRank ? leftRank > rightRank : Array(left.name.utf8).lexicographicallyPrecedes(Array(right.name.utf8))
        }

        var header: [UInt8] = [UInt8(ascii: "{")]
        var needsComma = false
        if let metadata {
            appendString("__metadata__", to: &header)
            header += Array(":{".utf8)
            for (index, key) in metadata.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if index > 0 { header.append(UInt8(ascii: ",")) }
                appendString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                appendString(metadata[key] ?? "", to: &header)
            }
            header.append(UInt8(ascii: "}"))
            needsComma = true
        }
        var offset = 0
        for tensor in ordered {
            if needsComma { header.append(UInt8(ascii: ",")) }
            needsComma = true
            appendString(tensor.name, to: &header)
            header += Array(":{\"dtype\":".utf8)
            appendString(tensor.dtype.rawValue, to: &header)
            header += Array(",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))]".utf8)
            header += Array(",\"data_offsets\":[\(offset),\(offset + tensor.byteRange.count)]}".utf8)
            offset += tensor.byteRange.count
        }
        header.append(UInt8(ascii: "}"))
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for shift in stride(from: 0, to: 64, by: 8) { file.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        file += header
        for tensor in ordered { file += tensor.bytes }
        return file
    }

    /// Writes ``encode(_:metadata:)``'s bytes to `url`, through a temporary file renamed into
    /// place (a file mapped by a reader is never changed under it).
    package static func write(_ tensors: [Tensor], metadata: [String: String]? = nil, to url: URL) throws(TensorFileError) {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw TensorFileError(source: url.path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// prod(shape) × bits / 8, or nil when it overflows or is not a whole number of bytes.
    static func byteCount(shape: [Int], dtype: TensorDType) -> Int? {
        var bits = dtype.bitWidth
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = bits.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            bits = product
        }
        return bits % 8 == 0 ? bits / 8 : nil
    }

    /// A JSON string literal as serde_json writes one.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension Tensor {
    /// A tensor over a copy of `bytes` (for writing, and for tests).
    package init(name: String, dtype: TensorDType, shape: [Int], holding bytes: [UInt8]) {
        self.init(name: name, dtype: dtype, shape: shape, buffer: TensorBuffer(copying: bytes), byteRange: 0..<bytes.count, fileOffset: 0)
    }
}
