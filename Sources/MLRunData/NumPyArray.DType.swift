extension NumPyArray {
    /// The element type of an array: numpy's dtype, less the byte order (see ``ByteOrder``).
    ///
    /// The raw value is numpy's name for it (`float64`, `uint8`, `bool`).
    package enum DType: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
        /// `|b1`: one byte, 0 or 1.
        case bool
        /// `|i1`.
        case int8
        /// `<i2` / `>i2`.
        case int16
        /// `<i4` / `>i4`.
        case int32
        /// `<i8` / `>i8`.
        case int64
        /// `|u1`.
        case uint8
        /// `<u2` / `>u2`.
        case uint16
        /// `<u4` / `>u4`.
        case uint32
        /// `<u8` / `>u8`.
        case uint64
        /// `<f2` / `>f2`: IEEE 754 half precision.
        case float16
        /// `<f4` / `>f4`: IEEE 754 single precision.
        case float32
        /// `<f8` / `>f8`: IEEE 754 double precision.
        case float64

        /// What the bits of an element mean.
        package enum Kind: Sendable, Equatable {
            /// One byte, zero for false and anything else for true (numpy writes 0 and 1).
            case bool
            /// Two's-complement integers.
            case signedInteger
            /// Unsigned integers.
            case unsignedInteger
            /// IEEE 754 binary floating point (half, single, double).
            case floatingPoint
        }

        /// What the bits of an element mean.
        package var kind: Kind {
            switch self {
            case .bool: .bool
            case .int8, .int16, .int32, .int64: .signedInteger
            case .uint8, .uint16, .uint32, .uint64: .unsignedInteger
            case .float16, .float32, .float64: .floatingPoint
            }
        }

        /// Bytes per element (numpy's `itemsize`).
        package var size: Int {
            switch self {
            case .bool, .int8, .uint8: 1
            case .int16, .uint16, .float16: 2
            case .int32, .uint32, .float32: 4
            case .int64, .uint64, .float64: 8
            }
        }

        /// numpy's name, e.g. `float64`.
        package var description: String { rawValue }

        /// The type for a descr's kind letter and size (`f` and 8 for `<f8`), or `nil` for any
        /// other combination.
        init?(kindLetter: UInt8, size: Int) {
            let found = DType.allCases.first { $0.size == size && $0.kindLetter == kindLetter }
            guard let found else { return nil }
            self = found
        }

        /// The letter a descr uses for this type: `b`, `i`, `u` or `f`.
        var kindLetter: UInt8 {
            switch kind {
            case .bool: UInt8(ascii: "b")
            case .signedInteger: UInt8(ascii: "i")
            case .unsignedInteger: UInt8(ascii: "u")
            case .floatingPoint: UInt8(ascii: "f")
            }
        }
    }

    /// The order of the bytes within each stored element.
    package enum ByteOrder: Sendable, Equatable {
        /// Least significant byte first (`<` in a descr).
        case little
        /// Most significant byte first (`>` in a descr).
        case big

        /// This machine's order, which a descr spells `=`; one-byte types (`|u1`) report it too.
        package static var native: ByteOrder { 1.littleEndian == 1 ? .little : .big }
    }
}
