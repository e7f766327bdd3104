extension SafetensorsHeader {
    /// Turns the members of the header object into tensor entries and metadata, checking each
    /// member's form; the layout (offsets against each other and the file) is checked after.
    struct EntryReader {
        /// A tensor entry as written, before its offsets are checked.
        struct RawEntry {
            let name: String
            let dtype: TensorDType
            let shape: [UInt64]
            let begin: UInt64
            let end: UInt64
        }

        let source: String
        /// Where the header starts in the file (8), for byte offsets.
        let headerStart: Int
        private(set) var entries: [RawEntry] = []
        private(set) var metadata: [String: String]?
        private var names: Set<String> = []
        private var sawMetadata = false

        init(source: String, headerStart: Int) {
            self.source = source
            self.headerStart = headerStart
        }

        private func fail(_ message: String, tensor: String? = nil, at value: HeaderJSON) -> TensorFileError {
            TensorFileError(source: source, tensor: tensor, byteOffset: headerStart + value.offset, message: message)
        }

        /// Reads one member of the header object.
        mutating func read(_ member: HeaderJSON.Member) throws(TensorFileError) {
            if member.key == "__metadata__" {
                try readMetadata(member)
                return
            }
            let name = member.key
            guard names.insert(name).inserted else {
                throw TensorFileError(
                    source: source, tensor: name, byteOffset: headerStart + member.keyOffset,
                    message: "the tensor name appears twice in the header (the reference loader keeps the last entry silently; mlrun rejects it)")
            }
            guard case .object(let fields) = member.value.value else {
                let form =
                    if case .array = member.value.value { " (mlrun reads only the object form {\"dtype\", \"shape\", \"data_offsets\"})" } else { "" }
                throw fail("the entry is \(member.value.kindDescription), not an object\(form)", tensor: name, at: member.value)
            }
            var dtype: TensorDType?
            var shape: [UInt64]?
            var offsets: (UInt64, UInt64)?
            for field in fields {
                switch field.key {
                case "dtype":
                    guard dtype == nil else { throw fail("duplicate field 'dtype'", tensor: name, at: field.value) }
                    dtype = try readDType(field.value, tensor: name)
                case "shape":
                    guard shape == nil else { throw fail("duplicate field 'shape'", tensor: name, at: field.value) }
                    shape = try unsignedArray(field.value, tensor: name, field: "shape")
                case "data_offsets":
                    guard offsets == nil else { throw fail("duplicate field 'data_offsets'", tensor: name, at: field.value) }
                    let pair = try unsignedArray(field.value, tensor: name, field: "data_offsets")
                    guard pair.count == 2 else {
                        throw fail("data_offsets has \(pair.count) numbers, not 2 ([begin, end])", tensor: name, at: field.value)
                    }
                    offsets = (pair[0], pair[1])
                default:
                    // The reference ignores unknown fields; so does mlrun.
                    continue
                }
            }
            for (field, missing) in [("dtype", dtype == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)] where missing {
                throw fail("missing field '\(field)'", tensor: name, at: member.value)
            }
            guard let dtype, let shape, let offsets else { return }
            entries.append(RawEntry(name: name, dtype: dtype, shape: shape, begin: offsets.0, end: offsets.1))
        }

        private mutating func readMetadata(_ member: HeaderJSON.Member) throws(TensorFileError) {
            guard !sawMetadata else { throw fail("duplicate field '__metadata__'", at: member.value) }
            sawMetadata = true
            switch member.value.value {
            case .null:
                metadata = nil
            case .object(let pairs):
                var map: [String: String] = [:]
                for pair in pairs {
                    guard case .string(let text) = pair.value.value else {
                        throw fail(
                            "__metadata__ '\(pair.key)' is \(pair.value.kindDescription); __metadata__ maps strings to strings", at: pair.value)
                    }
                    guard map.updateValue(text, forKey: pair.key) == nil else {
                        throw fail(
                            "__metadata__ has the key '\(pair.key)' twice (the reference loader keeps the last value silently; mlrun rejects it)",
                            at: pair.value)
                    }
                }
                metadata = map
            default:
                throw fail("__metadata__ is \(member.value.kindDescription); it must be an object mapping strings to strings", at: member.value)
            }
        }

        private func readDType(_ value: HeaderJSON, tensor: String) throws(TensorFileError) -> TensorDType {
            guard case .string(let text) = value.value else {
                throw fail("dtype is \(value.kindDescription), not a string such as \"F32\"", tensor: tensor, at: value)
            }
            guard let dtype = TensorDType(rawValue: text) else {
                let known = TensorDType.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("unknown dtype '\(text)' (safetensors 0.8.0 has \(known))", tensor: tensor, at: value)
            }
            return dtype
        }

        /// An array of non-negative integers that fit 64 bits (Rust's `usize`).
        private func unsignedArray(_ value: HeaderJSON, tensor: String, field: String) throws(TensorFileError) -> [UInt64] {
            guard case .array(let elements) = value.value else {
                throw fail("\(field) is \(value.kindDescription), not an array of non-negative integers", tensor: tensor, at: value)
            }
            var numbers: [UInt64] = []
            numbers.reserveCapacity(elements.count)
            for element in elements {
                guard case .unsigned(let number) = element.value else {
                    throw fail("\(field) holds \(element.kindDescription), not a non-negative integer below 2^64", tensor: tensor, at: element)
                }
                numbers.append(number)
            }
            return numbers
        }
    }
}
