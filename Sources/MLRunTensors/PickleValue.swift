/// What a static pickle walk knows of a value on the unpickler's stack: constants, containers,
/// imported globals, and the calls an unpickler would make, described but never made.
///
/// Containers and calls are ``PickleObject`` references, so an item set through a memoized
/// copy shows in every copy, as in a real unpickler.
package indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int` (LONG, LONG1, LONG4), as its decimal or byte form.
    case bigInt
    case float(Double)
    case string(String)
    /// Bytes (BINBYTES, SHORT_BINSTRING …): where they lie in the scanned buffer.
    case bytes(Range<Int>)
    case tuple([PickleValue])
    /// A list, dict, set or the result of a call (REDUCE, NEWOBJ, OBJ, INST).
    case object(PickleObject)
    /// A global the pickle imports (GLOBAL, INST, STACK_GLOBAL): `module.name`.
    case global(module: String, name: String)
    /// A persistent id (PERSID, BINPERSID): a reference the loader resolves, e.g. PyTorch's
    /// `('storage', torch.FloatStorage, '0', 'cpu', 4)`.
    case persistentID(PickleValue)
    /// A value the walk does not follow (an extension-registry global, an out-of-band buffer).
    case opaque
    /// A MARK on the stack.
    case mark

    /// The text of a string constant.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// A mutable value of a pickle walk: a list, dict or set, or a call's result with the items and
/// state later opcodes gave it.
package final class PickleObject: @unchecked Sendable {
    package enum Kind: Sendable {
        case list, dict, set
        /// `callable(*arguments)` (REDUCE, INST, OBJ), or `cls.__new__(cls, *arguments)` (NEWOBJ).
        case call(callable: PickleValue, arguments: PickleValue)
    }

    package let kind: Kind
    /// List and set items (APPEND, APPENDS, ADDITEMS).
    package var items: [PickleValue] = []
    /// Dict entries in insertion order (SETITEM, SETITEMS).
    package var entries: [(key: PickleValue, value: PickleValue)] = []
    /// The state BUILD gave it, if any.
    package var state: PickleValue?

    init(_ kind: Kind) { self.kind = kind }
}
