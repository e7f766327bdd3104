import Foundation
import MLRunData

/// The tensors of a PyTorch zip checkpoint (`torch.save` since 1.6), read from its scanned
/// pickle without executing anything.
///
/// ``PickleScan`` describes the object the pickle builds; this reader follows that description
/// through dicts (plain and `collections.OrderedDict`), lists and tuples, and reads each
/// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)` (also `_rebuild_tensor`,
/// and through `_rebuild_parameter`, `_rebuild_parameter_with_state` and
/// `torch._tensor._rebuild_from_type_v2`) whose storage is the persistent id
/// `('storage', torch.FloatStorage, key, location, numel)`: a ``Tensor`` pointing into the
/// stored zip member `<prefix>/data/<key>`, named by its dotted path (`model.fc.weight`).
/// Strides must be C-contiguous; other objects (numbers, strings, optimizer state that is not a
/// tensor) are passed over. Quantized, sparse and complex128 tensors, and storages of the newer
/// dtypes, are errors naming the tensor.
package struct TorchCheckpoint: Sendable {
    /// The tensors, in the order the pickle builds them.
    package let tensors: [Tensor]

    /// The legacy storage classes and their dtypes.
    private static let storageDTypes: [String: TensorDType] = [
        "DoubleStorage": .float64, "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8,
        "BoolStorage": .bool, "ComplexFloatStorage": .complex64,
    ]

    /// Reads the tensors of a scanned zip checkpoint. Throws when the file is not in PyTorch's
    /// zip format, or a tensor's storage, shape or strides cannot be read as described.
    package init(_ file: PickleFileScan) throws(TensorFileError) {
        guard let part = file.parts.first(where: { $0.source.hasSuffix("/data.pkl'") }),
            let member = file.members.first(where: { part.source == "\(file.source) member '\($0.path)'" })
        else {
            throw TensorFileError(
                source: file.source,
                message: "not a PyTorch zip checkpoint (no <prefix>/data.pkl member): tensors are read only from the zip format "
                    + "torch.save writes since PyTorch 1.6; other pickles are scanned, not read")
        }
        let prefix = String(member.path.dropLast("data.pkl".count))
        if let byteorder = file.members.first(where: { $0.path == prefix + "byteorder" }) {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: file.buffer.bytes[byteorder.data]), as: UTF8.self)
            guard text.trimmingCharacters(in: .whitespacesAndNewlines) == "little" else {
                throw TensorFileError(source: file.source, message: "byteorder '\(text)': only little-endian checkpoints are read")
            }
        }
        var reader = Reader(file: file, prefix: prefix, source: part.source, nodes: part.scan.nodes)
        try reader.collect(part.scan.root, path: [], depth: 0)
        tensors = reader.tensors
    }

    /// Follows the described object and collects its tensors.
    private struct Reader {
        let file: PickleFileScan
        let prefix: String
        let source: String
        let nodes: [PickleNode]
        var tensors: [Tensor] = []
        /// Nodes left to visit: a pickle can share one node many times over (a DAG), so the walk
        /// is bounded by a count, not only by depth.
        var budget = 1 << 20

        init(file: PickleFileScan, prefix: String, source: String, nodes: [PickleNode]) {
            self.file = file
            self.prefix = prefix
            self.source = source
            self.nodes = nodes
        }

        mutating func collect(_ value: PickleValue, path: [String], depth: Int) throws(TensorFileError) {
            guard depth < 64, case .node(let index) = value else { return }
            budget -= 1
            guard budget >= 0 else {
                throw TensorFileError(source: source, message: "the pickle refers to more than \(1 << 20) objects; not read")
            }
            let node = nodes[index]
            switch node.kind {
            case .dict:
                try collectEntries(node, path: path, depth: depth)
            case .list, .tuple:
                for (index, item) in node.items.enumerated() { try collect(item, path: path + ["\(index)"], depth: depth + 1) }
            case .set, .persistentID:
                return
            case .call(let callable, let arguments):
                guard case .global(let module, let name) = callable else { return }
                let args = tuple(arguments) ?? []
                switch (module, name) {
                case ("collections", "OrderedDict"):
                    try collectEntries(node, path: path, depth: depth)
                case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
                    tensors.append(try tensor(args, name: path.joined(separator: ".")))
                case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
                    if let first = args.first { try collect(first, path: path, depth: depth + 1) }
                case ("torch._tensor", "_rebuild_from_type_v2"):
                    // _rebuild_from_type_v2(func, new_type, args, state) returns func(*args).
                    guard args.count >= 3, case .global("torch._utils", let function) = args[0], let inner = tuple(args[2]) else { return }
                    if function == "_rebuild_tensor_v2" || function == "_rebuild_tensor" {
                        tensors.append(try tensor(inner, name: path.joined(separator: ".")))
                    } else if function.hasPrefix("_rebuild_") {
                        throw TensorFileError(
                            source: source, tensor: path.joined(separator: "."), message: "torch._utils.\(function) tensors are not read")
                    }
                case ("torch._utils", let other) where other.hasPrefix("_rebuild_"):
                    throw TensorFileError(
                        source: source, tensor: path.joined(separator: "."), message: "\(module).\(other) tensors are not read")
                default:
                    return
                }
            }
        }

        private mutating func collectEntries(_ dict: PickleNode, path: [String], depth: Int) throws(TensorFileError) {
            for (key, value) in dict.entries {
                let component: String
                switch key {
                case .string(let text): component = text
                case .int(let number): component = "\(number)"
                default: continue
                }
                try collect(value, path: path + [component], depth: depth + 1)
            }
        }

        /// The items of a tuple node.
        private func tuple(_ value: PickleValue) -> [PickleValue]? {
            guard case .node(let index) = value, nodes[index].kind == .tuple else { return nil }
            return nodes[index].items
        }

        /// The tensor of `_rebuild_tensor_v2(storage, storage_offset, size, stride, …)`.
        private func tensor(_ args: [PickleValue], name: String) throws(TensorFileError) -> Tensor {
            func failure(_ message: String) -> TensorFileError { TensorFileError(source: source, tensor: name, message: message) }
            guard args.count >= 4, case .node(let storage) = args[0], nodes[storage].kind == .persistentID,
                let id = nodes[storage].items.first.flatMap(tuple), id.count == 5, id[0].text == "storage",
                case .global(let module, let storageClass) = id[1], let key = id[2].text, case .int(let storageCount) = id[4],
                case .int(let offset) = args[1], offset >= 0, let shape = integers(args[2]), let strides = integers(args[3])
            else {
                throw failure(
                    "not a tensor this reader follows: _rebuild_tensor_v2 expects a ('storage', class, key, location, numel) "
                        + "persistent id, an offset, a size and a stride")
            }
            guard module == "torch", let dtype = TorchCheckpoint.storageDTypes[storageClass] else {
                throw failure("storage class \(module).\(storageClass) is not read")
            }
            guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw failure("size \(shape) and stride \(strides) do not describe a tensor")
            }
            var expected = 1
            for axis in shape.indices.reversed() {
                guard shape[axis] <= 1 || strides[axis] == expected else {
                    throw failure("stride \(strides) of size \(shape) is not C-contiguous; only contiguous tensors are read")
                }
                let (product, overflow) = expected.multipliedReportingOverflow(by: shape[axis])
                guard !overflow else { throw failure("size \(shape) holds too many elements") }
                expected = product
            }
            let count = expected
            let width = dtype.bitWidth / 8
            let path = "\(prefix)data/\(key)"
            guard let member = file.members.first(where: { $0.path == path }) else {
                throw failure("its storage member '\(path)' is missing from the archive")
            }
            guard member.method == 0 else { throw failure("its storage member '\(path)' is compressed; torch.save stores storages") }
            guard storageCount >= 0, member.data.count == storageCount * width else {
                throw failure("storage '\(path)' holds \(member.data.count) bytes; \(storageCount) elements of \(dtype) need \(storageCount * width)")
            }
            guard offset <= storageCount, count <= storageCount - offset else {
                throw failure("\(count) elements at offset \(offset) run past the \(storageCount) elements of storage '\(path)'")
            }
            let start = member.data.lowerBound + offset * width
            return Tensor(name: name, dtype: dtype, shape: shape, buffer: file.buffer, byteRange: start..<start + count * width)
        }

        private func integers(_ value: PickleValue) -> [Int]? {
            guard let items = tuple(value) else { return nil }
            var result: [Int] = []
            for item in items {
                guard case .int(let number) = item else { return nil }
                result.append(number)
            }
            return result
        }
    }
}
