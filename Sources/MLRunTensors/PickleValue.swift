/// What a static pickle walk knows of a value on the unpickler's stack: a constant, an imported
/// global, or a reference to a ``PickleNode`` (a container, a call, a persistent id).
///
/// Values are flat: containers live in the scan's node table and are referred to by index, so
/// an item set through a memoized copy shows in every copy (as in a real unpickler), and a
/// deeply nested or self-referencing pickle cannot make the walk, or the release of what it
/// built, recurse.
package enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int` (LONG, LONG1, LONG4).
    case bigInt
    case float(Double)
    case string(String)
    /// Bytes (BINBYTES, SHORT_BINBYTES, BYTEARRAY8 …): where they lie in the scanned buffer.
    case bytes(Range<Int>)
    /// A global the pickle imports (GLOBAL, INST, STACK_GLOBAL): `module.name`.
    case global(module: String, name: String)
    /// Node `index` of ``PickleScan/nodes``.
    case node(Int)
    /// A value the walk does not follow (an extension-registry global, an out-of-band buffer,
    /// a STACK_GLOBAL it cannot resolve).
    case opaque
    /// A MARK on the stack.
    case mark

    /// The text of a string constant.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// A value of a pickle walk with parts: a tuple, list, dict or set, a call's result with the
/// items and state later opcodes gave it, or a persistent id.
package struct PickleNode: Sendable {
    package enum Kind: Sendable, Equatable {
        case tuple, list, dict, set
        /// `callable(*arguments)` (REDUCE, INST, OBJ), or `cls.__new__(cls, *arguments)` (NEWOBJ);
        /// `arguments` is usually a tuple node.
        case call(callable: PickleValue, arguments: PickleValue)
        /// A persistent id (PERSID, BINPERSID): a reference the loader resolves, e.g. PyTorch's
        /// `('storage', torch.FloatStorage, '0', 'cpu', 4)` (the id is ``items``' one value).
        case persistentID
    }

    package var kind: Kind
    /// Tuple, list and set items (APPEND, APPENDS, ADDITEMS), or a persistent id's one value.
    package var items: [PickleValue] = []
    /// Dict entries in insertion order (SETITEM, SETITEMS).
    package var entries: [(key: PickleValue, value: PickleValue)] = []
    /// The state BUILD gave it, if any.
    package var state: PickleValue?

    init(_ kind: Kind, items: [PickleValue] = []) {
        self.kind = kind
        self.items = items
    }
}
