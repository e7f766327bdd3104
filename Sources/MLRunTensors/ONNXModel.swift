import Foundation
import ONNXSchema
import SwiftProtobuf

/// An ONNX model's interface and weights: the graph's inputs and outputs, the operator sets it
/// imports, and its initializers as tensors.
///
/// The file is decoded with swift-protobuf (`onnx.proto` of onnx 1.23.2, in ``ONNXSchema``). An
/// initializer's `raw_data` is copied into a ``TensorBuffer``; its typed fields (`float_data`,
/// `int32_data`, …) are converted to little-endian bytes by ONNX's rules; external data
/// (`data_location = EXTERNAL`) is mapped from a file inside the model's folder, and a location
/// that leaves it (`..`, an absolute path, a symlink pointing out) is an error. Initializers
/// whose type has no ``TensorDType`` (strings, complex128, the `FNUZ` 8-bit floats, the 2- and
/// 4-bit integers and sub-byte floats) are left out of ``initializers`` and listed in
/// ``skippedInitializers`` with the reason.
package struct ONNXModel: Sendable {
    /// One dimension of a value's shape.
    package enum Dimension: Sendable, Equatable, CustomStringConvertible {
        /// A fixed length.
        case value(Int)
        /// A symbolic length, e.g. `batch`.
        case parameter(String)
        /// A dimension with neither (any length).
        case unknown

        package var description: String {
            switch self {
            case .value(let length): "\(length)"
            case .parameter(let name): name
            case .unknown: "?"
            }
        }
    }

    /// A graph input or output.
    package struct Value: Sendable, Equatable {
        package var name: String
        /// ONNX's name for the element type (`FLOAT`, `INT64`), or the kind of a non-tensor
        /// value (`sequence`, `map`, `optional`, `sparse_tensor`, `opaque`); empty if not given.
        package var elementType: String
        /// The element type as a tensor dtype, when it has one.
        package var dtype: TensorDType?
        /// The shape; `nil` when the rank is unknown (no shape given) or the value is not a tensor.
        package var shape: [Dimension]?
    }

    /// An operator set the model imports: `domain` (empty for the default `ai.onnx`) at `version`.
    package struct OperatorSet: Sendable, Equatable {
        package var domain: String
        package var version: Int
    }

    /// An initializer left out of ``initializers`` because mlrun has no dtype for its type.
    package struct SkippedInitializer: Sendable, Equatable {
        package var name: String
        /// ONNX's name for the type, e.g. `STRING`.
        package var elementType: String
    }

    /// The file as the user wrote it.
    package let source: String
    package let inputs: [Value]
    package let outputs: [Value]
    package let operatorSets: [OperatorSet]
    /// The graph's initializers (its weights), in graph order.
    package let initializers: [Tensor]
    package let skippedInitializers: [SkippedInitializer]
    /// The model's `metadata_props`.
    package let metadata: [String: String]
    package let irVersion: Int
    /// `producer_name` and `producer_version`, e.g. `skl2onnx 1.20.0`; empty if not given.
    package let producer: String

    /// Reads the ONNX model at `url`; errors name it `source`. External data is looked for in
    /// the folder holding `url`.
    package init(contentsOf url: URL, source: String) throws(TensorFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw TensorFileError(source: source, message: missing ? "cannot read: no such file" : "cannot read: \(error.localizedDescription)")
        }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw TensorFileError(source: source, message: "not a valid ONNX model: \(Self.describe(error)) (\(data.count) bytes)")
        }
        guard proto.hasGraph, proto.irVersion > 0 else {
            throw TensorFileError(
                source: source, message: "not an ONNX model: the protobuf message has no graph or no ir_version (\(data.count) bytes)")
        }
        self.source = source
        irVersion = Int(proto.irVersion)
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        operatorSets = proto.opsetImport.map { OperatorSet(domain: $0.domain, version: Int($0.version)) }
        metadata = Dictionary(proto.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        inputs = proto.graph.input.map(Self.value)
        outputs = proto.graph.output.map(Self.value)

        var reader = InitializerReader(source: source, folder: url.deletingLastPathComponent())
        var tensors: [Tensor] = []
        var skipped: [SkippedInitializer] = []
        for initializer in proto.graph.initializer {
            switch try reader.tensor(initializer) {
            case .tensor(let tensor): tensors.append(tensor)
            case .skipped(let type): skipped.append(SkippedInitializer(name: initializer.name, elementType: type))
            }
        }
        initializers = tensors
        skippedInitializers = skipped
    }

    /// The tensors of the model as a ``TensorFile`` of format `.onnx`, with `metadata_props` as
    /// its metadata.
    package var tensorFile: TensorFile {
        TensorFile(source: source, format: .onnx, tensors: initializers, metadata: metadata)
    }

    private static func value(_ info: Onnx_ValueInfoProto) -> Value {
        switch info.type.value {
        case .tensorType(let tensor):
            let shape: [Dimension]? = tensor.hasShape ? tensor.shape.dim.map(dimension) : nil
            return Value(
                name: info.name, elementType: tensor.hasElemType ? elementTypeName(tensor.elemType) : "",
                dtype: dtype(ofElementType: tensor.elemType), shape: shape)
        case .sparseTensorType(let tensor):
            return Value(name: info.name, elementType: "sparse_tensor", dtype: dtype(ofElementType: tensor.elemType), shape: nil)
        case .sequenceType: return Value(name: info.name, elementType: "sequence", dtype: nil, shape: nil)
        case .mapType: return Value(name: info.name, elementType: "map", dtype: nil, shape: nil)
        case .optionalType: return Value(name: info.name, elementType: "optional", dtype: nil, shape: nil)
        case .opaqueType: return Value(name: info.name, elementType: "opaque", dtype: nil, shape: nil)
        case nil: return Value(name: info.name, elementType: "", dtype: nil, shape: nil)
        }
    }

    private static func dimension(_ dim: Onnx_TensorShapeProto.Dimension) -> Dimension {
        switch dim.value {
        case .dimValue(let length): .value(Int(length))
        case .dimParam(let name): .parameter(name)
        case nil: .unknown
        }
    }

    /// swift-protobuf's decoding errors in words.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? SwiftProtobuf.BinaryDecodingError else { return "\(error)" }
        switch error {
        case .truncated: return "the protobuf data is truncated"
        case .malformedProtobuf: return "the protobuf data is malformed"
        case .invalidUTF8: return "a string field is not valid UTF-8"
        case .messageDepthLimit: return "messages are nested too deeply"
        default: return "the protobuf data cannot be decoded (\(error))"
        }
    }
}
