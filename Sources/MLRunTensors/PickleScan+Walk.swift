import Foundation

extension PickleScan {
    /// The opcode loop: reads one opcode and its argument at a time and applies it to a
    /// symbolic stack and memo.
    struct Walk {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let source: String
        private var stack: [PickleValue] = []
        /// Where each open MARK is in `stack`.
        private var marks: [Int] = []
        private var memo: [Int: PickleValue] = [:]
        /// What ``PickleValue/node(_:)`` values refer to.
        private var nodes: [PickleNode] = []
        private var protocolVersion = 0
        /// The offset of the opcode being applied, for errors.
        private var opcodeOffset = 0
        private var opcode: Opcode = .stop

        init(bytes: UnsafeRawBufferPointer, position: Int, source: String) {
            self.bytes = bytes
            self.position = position
            self.source = source
        }

        mutating func run(into scan: inout PickleScan) throws(TensorFileError) {
            while true {
                opcodeOffset = position
                guard position < bytes.count else {
                    throw failure(position == 0 ? "empty: no pickle opcodes" : "truncated pickle: it ends without a STOP opcode")
                }
                guard let next = Opcode(rawValue: bytes[position]) else {
                    throw failure("not a pickle opcode: 0x\(String(bytes[position], radix: 16, uppercase: true))")
                }
                opcode = next
                position += 1
                if opcode == .stop {
                    scan.finish(root: try pop(), nodes: nodes, end: position, protocolVersion: protocolVersion)
                    return
                }
                try apply(&scan)
            }
        }

        // MARK: - Opcodes

        private mutating func apply(_ scan: inout PickleScan) throws(TensorFileError) {
            switch opcode {
            case .proto:
                protocolVersion = Int(try fixed(1)[0])
                guard protocolVersion <= 5 else { throw failure("unsupported pickle protocol \(protocolVersion)") }
            case .frame: _ = try fixed(8)
            case .mark:
                marks.append(stack.count)
                stack.append(.mark)
            case .pop:
                // As CPython: POP right after a MARK discards the MARK.
                if let mark = marks.last, mark == stack.count - 1 { _ = try popMark() } else { _ = try pop() }
            case .popMark: _ = try popMark()
            case .dup: stack.append(try top())
            case .none: stack.append(.none)
            case .newTrue: stack.append(.bool(true))
            case .newFalse: stack.append(.bool(false))
            case .int: stack.append(integerLine(try line()))
            case .long:
                let digits = try line()
                stack.append(Int(digits.hasSuffix("L") ? String(digits.dropLast()) : digits).map { .int($0) } ?? .bigInt)
            case .float: stack.append(.float(Double(try line().trimmingCharacters(in: .whitespaces)) ?? .nan))
            case .binInt: stack.append(.int(Int(Int32(bitPattern: UInt32(try littleEndian(try fixed(4)))))))
            case .binInt1: stack.append(.int(Int(try fixed(1)[0])))
            case .binInt2: stack.append(.int(Int(try littleEndian(try fixed(2)))))
            case .long1, .long4:
                let digits = try counted()
                stack.append(digits.count <= 8 ? .int(signedLittleEndian(digits)) : .bigInt)
            case .binFloat:
                stack.append(.float(Double(bitPattern: try fixed(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case .string: stack.append(.string(quotedText(try line())))
            case .unicode: stack.append(.string(try line()))
            case .binString, .shortBinString, .binUnicode, .shortBinUnicode, .binUnicode8:
                stack.append(.string(text(try counted())))
            case .binBytes, .shortBinBytes, .binBytes8, .byteArray8:
                stack.append(.bytes(try counted()))
            case .emptyTuple: stack.append(node(.tuple))
            case .tuple1, .tuple2, .tuple3:
                let n = Int(opcode.rawValue - Opcode.tuple1.rawValue) + 1
                var items: [PickleValue] = []
                for _ in 0..<n { items.insert(try pop(), at: 0) }
                stack.append(node(.tuple, items: items))
            case .tuple: stack.append(node(.tuple, items: try popMark()))
            case .emptyList: stack.append(node(.list))
            case .list: stack.append(node(.list, items: try popMark()))
            case .emptyDict: stack.append(node(.dict))
            case .dict:
                let values = try popMark()
                let dict = node(.dict)
                try setItems(values, into: dict)
                stack.append(dict)
            case .emptySet: stack.append(node(.set))
            case .frozenSet: stack.append(node(.set, items: try popMark()))
            case .append:
                let value = try pop()
                if case .node(let index) = try top() { nodes[index].items.append(value) }
            case .appends, .addItems:
                let values = try popMark()
                if case .node(let index) = try top() { nodes[index].items += values }
            case .setItem:
                let value = try pop()
                let key = try pop()
                if case .node(let index) = try top() { nodes[index].entries.append((key, value)) }
            case .setItems:
                let values = try popMark()
                try setItems(values, into: try top())
            case .global, .inst, .stackGlobal:
                try importGlobal(&scan)
            case .ext1, .ext2, .ext4:
                let width = opcode == .ext1 ? 1 : opcode == .ext2 ? 2 : 4
                scan.record(Extension(code: Int(try littleEndian(try fixed(width))), offset: opcodeOffset))
                stack.append(.opaque)
            case .reduce:
                let arguments = try pop()
                let callable = try pop()
                scan.countCall()
                stack.append(node(.call(callable: callable, arguments: arguments)))
            case .newObj:
                let arguments = try pop()
                let cls = try pop()
                scan.countCall()
                stack.append(node(.call(callable: cls, arguments: arguments)))
            case .newObjEx:
                _ = try pop()  // keyword arguments
                let arguments = try pop()
                let cls = try pop()
                scan.countCall()
                stack.append(node(.call(callable: cls, arguments: arguments)))
            case .obj:
                var items = try popMark()
                guard !items.isEmpty else { throw failure("OBJ with no class after its MARK") }
                let cls = items.removeFirst()
                scan.countCall()
                stack.append(node(.call(callable: cls, arguments: node(.tuple, items: items))))
            case .build:
                let state = try pop()
                if case .node(let index) = try top() { nodes[index].state = state }
                scan.countBuild()
            case .persistentID: stack.append(node(.persistentID, items: [.string(try line())]))
            case .binPersistentID: stack.append(node(.persistentID, items: [try pop()]))
            case .put: memo[try memoIndex(try line())] = try top()
            case .binPut: memo[Int(try fixed(1)[0])] = try top()
            case .longBinPut: memo[Int(try littleEndian(try fixed(4)))] = try top()
            case .memoize: memo[memo.count] = try top()
            case .get: stack.append(try recall(try memoIndex(try line())))
            case .binGet: stack.append(try recall(Int(try fixed(1)[0])))
            case .longBinGet: stack.append(try recall(Int(try littleEndian(try fixed(4)))))
            case .nextBuffer: stack.append(.opaque)
            case .readonlyBuffer: _ = try top()
            case .stop: break
            }
        }

        /// GLOBAL and INST (module and name on two lines), STACK_GLOBAL (from the stack).
        private mutating func importGlobal(_ scan: inout PickleScan) throws(TensorFileError) {
            let module: String
            let name: String
            switch opcode {
            case .stackGlobal:
                let nameValue = try pop()
                let moduleValue = try pop()
                guard let moduleText = moduleValue.text, let nameText = nameValue.text else {
                    scan.recordUnresolved(at: opcodeOffset)
                    stack.append(.opaque)
                    return
                }
                (module, name) = (moduleText, nameText)
            default:
                module = try line()
                name = try line()
            }
            scan.record(Global(module: module, name: name, offset: opcodeOffset, opcode: opcode.name))
            if module == "joblib.numpy_pickle", name == "NumpyArrayWrapper" || name == "ZNDArrayWrapper" {
                // joblib writes each array's raw bytes into the stream right after the wrapper's
                // BUILD; its unpickler reads them there. Those bytes are not opcodes.
                throw failure(
                    "joblib's \(name): joblib writes numpy array bytes inside the pickle stream, which this scan does not step over; "
                        + "the file cannot be checked")
            }
            let global = PickleValue.global(module: module, name: name)
            guard opcode == .inst else {
                stack.append(global)
                return
            }
            scan.countCall()
            let arguments = node(.tuple, items: try popMark())
            stack.append(node(.call(callable: global, arguments: arguments)))
        }

        /// A new node, as a value.
        private mutating func node(_ kind: PickleNode.Kind, items: [PickleValue] = []) -> PickleValue {
            nodes.append(PickleNode(kind, items: items))
            return .node(nodes.count - 1)
        }

        private mutating func setItems(_ values: [PickleValue], into target: PickleValue) throws(TensorFileError) {
            guard values.count.isMultiple(of: 2) else { throw failure("\(opcode.name) with an odd number of items") }
            guard case .node(let index) = target else { return }
            for i in stride(from: 0, to: values.count, by: 2) { nodes[index].entries.append((values[i], values[i + 1])) }
        }

        // MARK: - Stack and memo

        private mutating func pop() throws(TensorFileError) -> PickleValue {
            guard let value = stack.last else { throw failure("\(opcode.name) on an empty stack") }
            if case .mark = value { throw failure("\(opcode.name) meets a MARK where it expects a value") }
            stack.removeLast()
            return value
        }

        private func top() throws(TensorFileError) -> PickleValue {
            guard let value = stack.last else { throw failure("\(opcode.name) on an empty stack") }
            if case .mark = value { throw failure("\(opcode.name) meets a MARK where it expects a value") }
            return value
        }

        /// The values above the topmost MARK, which goes too.
        private mutating func popMark() throws(TensorFileError) -> [PickleValue] {
            guard let mark = marks.popLast() else { throw failure("\(opcode.name) without a MARK") }
            let values = Array(stack[(mark + 1)...])
            stack.removeSubrange(mark...)
            return values
        }

        private func recall(_ index: Int) throws(TensorFileError) -> PickleValue {
            guard let value = memo[index] else { throw failure("\(opcode.name) of memo entry \(index), which was never stored") }
            return value
        }

        private func memoIndex(_ line: String) throws(TensorFileError) -> Int {
            guard let index = Int(line.trimmingCharacters(in: .whitespaces)), index >= 0 else {
                throw failure("\(opcode.name) with an invalid memo index '\(line)'")
            }
            return index
        }

        // MARK: - Arguments

        /// The next `count` bytes.
        private mutating func fixed(_ count: Int) throws(TensorFileError) -> UnsafeRawBufferPointer {
            guard count <= bytes.count - position else {
                throw failure("truncated pickle: \(opcode.name) needs \(count) argument bytes, \(bytes.count - position) remain")
            }
            defer { position += count }
            return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
        }

        /// A length of the opcode's width, then that many bytes: where those bytes are.
        private mutating func counted() throws(TensorFileError) -> Range<Int> {
            guard case .counted(let width) = opcode.argument else { return position..<position }
            let field = try fixed(width)
            let signed = opcode == .binString || opcode == .long4
            let raw = try littleEndian(field)
            let length: Int
            if signed {
                let value = Int32(bitPattern: UInt32(truncatingIfNeeded: raw))
                guard value >= 0 else { throw failure("\(opcode.name) with a negative length \(value)") }
                length = Int(value)
            } else {
                guard raw <= UInt64(Int.max) else { throw failure("\(opcode.name) with a length of \(raw) bytes") }
                length = Int(raw)
            }
            guard length <= bytes.count - position else {
                throw failure("truncated pickle: \(opcode.name) declares \(length) bytes, \(bytes.count - position) remain")
            }
            defer { position += length }
            return position..<position + length
        }

        /// Text up to the next newline (which is consumed), as UTF-8.
        private mutating func line() throws(TensorFileError) -> String {
            var end = position
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count else { throw failure("truncated pickle: \(opcode.name)'s argument has no ending newline") }
            defer { position = end + 1 }
            return text(position..<end)
        }

        private func text(_ range: Range<Int>) -> String {
            let slice = bytes[range]
            if let text = String(validating: slice, as: UTF8.self) { return text }
            var text = ""
            for byte in slice { text.unicodeScalars.append(Unicode.Scalar(byte)) }
            return text
        }

        /// A protocol-0 STRING argument without its quotes (escapes are left as they are).
        private func quotedText(_ line: String) -> String {
            guard line.count >= 2, let first = line.first, first == line.last, first == "'" || first == "\"" else { return line }
            return String(line.dropFirst().dropLast())
        }

        /// An INT or GET/PUT argument: a decimal (`I01` and `I00` are True and False).
        private func integerLine(_ line: String) -> PickleValue {
            if line == "01" { return .bool(true) }
            if line == "00" { return .bool(false) }
            return Int(line.trimmingCharacters(in: .whitespaces)).map { .int($0) } ?? .bigInt
        }

        private func littleEndian(_ field: UnsafeRawBufferPointer) throws(TensorFileError) -> UInt64 {
            field.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }

        /// A two's-complement little-endian integer of up to 8 bytes (LONG1, LONG4).
        private func signedLittleEndian(_ range: Range<Int>) -> Int {
            guard !range.isEmpty else { return 0 }
            var value = bytes[range].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let bits = range.count * 8
            if bits < 64, bytes[range.upperBound - 1] & 0x80 != 0 { value |= ~UInt64(0) << UInt64(bits) }
            return Int(bitPattern: UInt(value))
        }

        private func failure(_ message: String) -> TensorFileError {
            TensorFileError(source: source, byteOffset: opcodeOffset, message: message)
        }
    }
}
