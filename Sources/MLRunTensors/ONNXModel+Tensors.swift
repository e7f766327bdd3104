import Foundation
import ONNXSchema

extension ONNXModel {
    /// ONNX's `TensorProto.DataType` names, indexed by value (onnx 1.23.2).
    private static let elementTypeNames = [
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32",
        "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",
        "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2", "FLOAT6E2M3", "FLOAT6E3M2",
    ]

    /// ONNX's name for data type `value`, e.g. `FLOAT`; `type N` for one it does not define.
    static func elementTypeName(_ value: Int32) -> String {
        value >= 0 && Int(value) < elementTypeNames.count ? elementTypeNames[Int(value)] : "type \(value)"
    }

    /// The dtype of ONNX data type `value`, or `nil` where mlrun has none: STRING, COMPLEX128,
    /// the FNUZ floats (their NaN and zero differ from the F8 dtypes), and the sub-byte types
    /// (ONNX packs them its own way).
    static func dtype(ofElementType value: Int32) -> TensorDType? {
        switch Onnx_TensorProto.DataType(rawValue: Int(value)) {
        case .float: .float32
        case .double: .float64
        case .float16: .float16
        case .bfloat16: .bfloat16
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .bool: .bool
        case .complex64: .complex64
        case .float8E4M3Fn: .float8E4M3
        case .float8E5M2: .float8E5M2
        case .float8E8M0: .float8E8M0
        default: nil
        }
    }

    /// An initializer read: a tensor, or the name of a type mlrun does not read.
    enum Initializer {
        case tensor(Tensor)
        case skipped(String)
    }

    /// Turns initializers into tensors, mapping each external data file once.
    struct InitializerReader {
        let source: String
        /// The model's folder, which external data must not leave.
        let folder: URL
        /// External data files mapped so far, by resolved path.
        var mapped: [String: TensorBuffer] = [:]

        init(source: String, folder: URL) {
            self.source = source
            self.folder = folder
        }

        /// The tensor of `proto`, checked against its dims and type.
        mutating func tensor(_ proto: Onnx_TensorProto) throws(TensorFileError) -> Initializer {
            let name = proto.name
            guard let dtype = ONNXModel.dtype(ofElementType: proto.dataType) else {
                return .skipped(ONNXModel.elementTypeName(proto.dataType))
            }
            if proto.hasSegment {
                throw TensorFileError(source: source, tensor: name, message: "segmented tensors (TensorProto.segment) are not read")
            }
            var count = 1
            var shape: [Int] = []
            for dim in proto.dims {
                guard dim >= 0, let length = Int(exactly: dim) else {
                    throw TensorFileError(source: source, tensor: name, message: "dims \(proto.dims) hold a negative length")
                }
                let (product, overflow) = count.multipliedReportingOverflow(by: length)
                guard !overflow, product <= Int(Int32.max) * 64 else {
                    throw TensorFileError(source: source, tensor: name, message: "dims \(proto.dims) describe too many elements")
                }
                count = product
                shape.append(length)
            }
            let byteCount = count * dtype.bitWidth / 8
            if proto.dataLocation == .external {
                let (buffer, range) = try externalData(proto, byteCount: byteCount)
                return .tensor(Tensor(name: name, dtype: dtype, shape: shape, buffer: buffer, byteRange: range))
            }
            let bytes = try contents(proto, dtype: dtype, count: count, byteCount: byteCount)
            return .tensor(
                Tensor(name: name, dtype: dtype, shape: shape, buffer: TensorBuffer(copying: bytes), byteRange: 0..<bytes.count, fileOffset: 0))
        }

        /// The little-endian bytes of an initializer stored in the model: `raw_data` as is, or
        /// its typed field converted by ONNX's rules (16- and 8-bit floats, bools and small
        /// integers one per `int32_data` entry, UINT32 and UINT64 in `uint64_data`).
        private func contents(_ proto: Onnx_TensorProto, dtype: TensorDType, count: Int, byteCount: Int) throws(TensorFileError) -> [UInt8] {
            let name = proto.name
            if proto.hasRawData {
                guard proto.rawData.count == byteCount else {
                    throw TensorFileError(
                        source: source, tensor: name,
                        message: "raw_data holds \(proto.rawData.count) bytes; dims \(proto.dims) of \(dtype) need \(byteCount)")
                }
                return [UInt8](proto.rawData)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(byteCount)
            let field: String
            let found: Int
            switch dtype {
            case .float32, .complex64:
                (field, found) = ("float_data", proto.floatData.count)
                for value in proto.floatData { append(value.bitPattern, width: 4, to: &bytes) }
            case .float64:
                (field, found) = ("double_data", proto.doubleData.count)
                for value in proto.doubleData { append(value.bitPattern, width: 8, to: &bytes) }
            case .int64:
                (field, found) = ("int64_data", proto.int64Data.count)
                for value in proto.int64Data { append(UInt64(bitPattern: value), width: 8, to: &bytes) }
            case .uint32, .uint64:
                (field, found) = ("uint64_data", proto.uint64Data.count)
                for value in proto.uint64Data { append(value, width: dtype.bitWidth / 8, to: &bytes) }
            default:
                // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16 and the 8-bit floats:
                // the value (or the bit pattern) in the low bits of each int32.
                (field, found) = ("int32_data", proto.int32Data.count)
                for value in proto.int32Data {
                    append(UInt64(UInt32(bitPattern: value)), width: dtype.bitWidth / 8, to: &bytes)
                }
            }
            let expected = dtype == .complex64 ? count * 2 : count
            guard found == expected else {
                throw TensorFileError(
                    source: source, tensor: name, message: "\(field) holds \(found) values; dims \(proto.dims) need \(expected)")
            }
            return bytes
        }

        /// The low `width` bytes of `value`, little-endian.
        private func append<T: FixedWidthInteger>(_ value: T, width: Int, to bytes: inout [UInt8]) {
            let wide = UInt64(truncatingIfNeeded: value)
            for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: wide >> (8 * UInt64(i)))) }
        }
    }
}
