extension NumPyArray {
    /// Every element as a `Double`, in C (row-major) order whatever the storage order.
    ///
    /// Floats convert exactly (float16 and float32 widen; a NaN stays a NaN); integers
    /// round to the nearest double when beyond 2^53; bools read as 0 and 1.
    package func doubles() -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(count)
        storage.withUnsafeBytes { raw in
            forEachStorageIndexInCOrder { values.append(double(at: $0, in: raw)) }
        }
        return values
    }

    /// Every element as an `Int64`, in C order; for bool (0 and 1) and integer dtypes.
    ///
    /// Throws for float dtypes, and for a uint64 element above `Int64.max`, naming it.
    package func int64s() throws(NumPyError) -> [Int64] {
        guard dtype.kind != .floatingPoint else {
            throw NumPyError(source: source, message: "int64s() reads bool and integer arrays; this one is \(dtype)")
        }
        var values: [Int64] = []
        values.reserveCapacity(count)
        var tooLarge: (cIndex: Int, value: UInt64)?
        storage.withUnsafeBytes { raw in
            forEachStorageIndexInCOrder { index in
                let value = integer(at: index, in: raw)
                if case .unsigned(let big) = value, big > UInt64(Int64.max), tooLarge == nil {
                    tooLarge = (values.count, big)
                }
                values.append(value.int64)
            }
        }
        if let tooLarge {
            throw NumPyError(
                source: source,
                message: "uint64 element \(multiIndexText(ofCIndex: tooLarge.cIndex)) is \(tooLarge.value), "
                    + "above Int64.max")
        }
        return values
    }

    /// Every element as a `Bool`, in C order; for the bool dtype only (a nonzero byte is true).
    package func bools() throws(NumPyError) -> [Bool] {
        guard dtype == .bool else {
            throw NumPyError(source: source, message: "bools() reads bool arrays; this one is \(dtype)")
        }
        var values: [Bool] = []
        values.reserveCapacity(count)
        storage.withUnsafeBytes { raw in
            forEachStorageIndexInCOrder { values.append(raw[$0] != 0) }
        }
        return values
    }

    /// Row `i` of a 2-D array (e.g. one sample's class probabilities), as doubles.
    ///
    /// Throws unless the array is 2-D and `0 <= i < shape[0]`.
    package func row(_ i: Int) throws(NumPyError) -> [Double] {
        let (rows, columns) = try matrixShape(for: "row(_:)")
        guard 0 <= i, i < rows else {
            throw NumPyError(
                source: source, message: "row \(i) is out of range for shape \(NumPyArray.pythonTuple(shape))")
        }
        // Storage index of (i, j): i * columns + j in C order, j * rows + i in Fortran order.
        return storage.withUnsafeBytes { raw in
            (0..<columns).map { j in double(at: isFortranOrder ? j * rows + i : i * columns + j, in: raw) }
        }
    }

    /// Column `j` of a 2-D array (e.g. one class's probability over all samples), as doubles.
    ///
    /// Throws unless the array is 2-D and `0 <= j < shape[1]`.
    package func column(_ j: Int) throws(NumPyError) -> [Double] {
        let (rows, columns) = try matrixShape(for: "column(_:)")
        guard 0 <= j, j < columns else {
            throw NumPyError(
                source: source, message: "column \(j) is out of range for shape \(NumPyArray.pythonTuple(shape))")
        }
        return storage.withUnsafeBytes { raw in
            (0..<rows).map { i in double(at: isFortranOrder ? j * rows + i : i * columns + j, in: raw) }
        }
    }

    /// The elements' bytes in C order and little-endian, whatever the file's order: the
    /// layout safetensors, ONNX and PyTorch storages use, for code that compares them.
    package func littleEndianCOrderBytes() -> [UInt8] {
        let size = dtype.size
        let swap = byteOrder == .big && size > 1
        guard swap || (isFortranOrder && shape.count > 1) else { return storage }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(storage.count)
        forEachStorageIndexInCOrder { index in
            let element = storage[index * size..<(index + 1) * size]
            if swap { bytes.append(contentsOf: element.reversed()) } else { bytes.append(contentsOf: element) }
        }
        return bytes
    }

    // MARK: - Layout

    /// `(rows, columns)` of a 2-D array, or an error naming the accessor.
    private func matrixShape(for accessor: String) throws(NumPyError) -> (Int, Int) {
        guard shape.count == 2 else {
            throw NumPyError(
                source: source,
                message: "\(accessor) needs a 2-D array; this one has shape \(NumPyArray.pythonTuple(shape))")
        }
        return (shape[0], shape[1])
    }

    /// Calls `body` with the storage index of every element, in C order.
    ///
    /// In Fortran order the first axis varies fastest in storage, so axis `k` has stride
    /// `shape[0] × … × shape[k-1]`; an odometer over the C-order index keeps the offset.
    func forEachStorageIndexInCOrder(_ body: (Int) -> Void) {
        let total = count
        guard isFortranOrder, shape.count > 1 else {
            for index in 0..<total { body(index) }
            return
        }
        guard total > 0 else { return }
        // No overflow: every stride divides `total`, which fits (no axis is 0 here).
        var strides = [Int](repeating: 1, count: shape.count)
        for k in 1..<shape.count { strides[k] = strides[k - 1] * shape[k - 1] }
        var counters = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<total {
            body(offset)
            var axis = shape.count - 1
            while axis >= 0 {
                counters[axis] += 1
                offset += strides[axis]
                if counters[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }

    /// The C-order index `index` as a Python index: `[7]` or `[1, 2]`.
    func multiIndexText(ofCIndex index: Int) -> String {
        var remainder = index
        var parts: [Int] = []
        for axis in shape.reversed() {
            parts.append(axis > 0 ? remainder % axis : 0)
            remainder = axis > 0 ? remainder / axis : 0
        }
        return "[" + parts.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    // MARK: - Decoding one element

    /// The unsigned integer of `T`'s width stored at element `index`, in host order.
    private func load<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type, at index: Int,
        in raw: UnsafeRawBufferPointer
    ) -> T {
        let bits = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self)
        return byteOrder == .little ? T(littleEndian: bits) : T(bigEndian: bits)
    }

    /// Element `index` (in storage order) as a `Double`.
    func double(at index: Int, in raw: UnsafeRawBufferPointer) -> Double {
        switch dtype {
        case .float16: NumPyArray.double(fromHalfBits: load(UInt16.self, at: index, in: raw))
        case .float32: Double(Float(bitPattern: load(UInt32.self, at: index, in: raw)))
        case .float64: Double(bitPattern: load(UInt64.self, at: index, in: raw))
        case .uint64: Double(load(UInt64.self, at: index, in: raw))
        default: Double(integer(at: index, in: raw).int64)
        }
    }

    /// Element `index` (in storage order) of a bool or integer array.
    private func integer(at index: Int, in raw: UnsafeRawBufferPointer) -> StoredInteger {
        switch dtype {
        case .bool: .signed(raw[index] != 0 ? 1 : 0)
        case .int8: .signed(Int64(Int8(bitPattern: raw[index])))
        case .uint8: .signed(Int64(raw[index]))
        case .int16: .signed(Int64(Int16(bitPattern: load(UInt16.self, at: index, in: raw))))
        case .uint16: .signed(Int64(load(UInt16.self, at: index, in: raw)))
        case .int32: .signed(Int64(Int32(bitPattern: load(UInt32.self, at: index, in: raw))))
        case .uint32: .signed(Int64(load(UInt32.self, at: index, in: raw)))
        case .int64: .signed(Int64(bitPattern: load(UInt64.self, at: index, in: raw)))
        case .uint64: .unsigned(load(UInt64.self, at: index, in: raw))
        // Not reached: callers rule out floats; a float reads as its bit pattern.
        case .float16: .unsigned(UInt64(load(UInt16.self, at: index, in: raw)))
        case .float32: .unsigned(UInt64(load(UInt32.self, at: index, in: raw)))
        case .float64: .unsigned(load(UInt64.self, at: index, in: raw))
        }
    }

    /// An IEEE 754 binary16 value widened to a double, exactly.
    ///
    /// Normal numbers are (1024 + fraction) × 2^(exponent − 25); subnormals fraction × 2^−24;
    /// an all-ones exponent is infinity, or NaN with the fraction as the top payload bits.
    static func double(fromHalfBits bits: UInt16) -> Double {
        let sign: FloatingPointSign = bits & 0x8000 != 0 ? .minus : .plus
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = UInt64(bits & 0x3FF)
        switch exponent {
        case 0:
            return Double(sign: sign, exponent: -24, significand: Double(fraction))
        case 0x1F:
            let signBit: UInt64 = sign == .minus ? 1 << 63 : 0
            return Double(bitPattern: signBit | 0x7FF0_0000_0000_0000 | fraction << 42)
        default:
            return Double(sign: sign, exponent: exponent - 25, significand: Double(1024 + fraction))
        }
    }
}

/// A stored bool or integer element: signed covers every type but uint64.
private enum StoredInteger {
    case signed(Int64)
    case unsigned(UInt64)

    /// The value as an `Int64`, wrapping a uint64 above `Int64.max` (callers report those).
    var int64: Int64 {
        switch self {
        case .signed(let value): value
        case .unsigned(let value): Int64(truncatingIfNeeded: value)
        }
    }
}
