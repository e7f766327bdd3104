/// A static walk over one pickle (protocols 0 to 5) that lists every global it imports, without
/// executing anything.
///
/// Each opcode's argument is stepped over by its declared length (``Opcode/argument``); a small
/// symbolic stack and memo follow the values well enough to resolve the two strings of a
/// STACK_GLOBAL (also through PUT/BINPUT/LONG_BINPUT/MEMOIZE and GET/BINGET/LONG_BINGET) and to
/// describe the object the pickle builds (``root``, ``nodes``) for readers that want PyTorch's
/// layout. Nothing is imported or called: a REDUCE is recorded as a ``PickleNode`` of kind `.call`.
/// A STACK_GLOBAL whose operands are not constant strings is recorded in ``unresolvedGlobals``,
/// an extension-registry global (EXT1/2/4) in ``extensions``. A malformed or truncated pickle
/// throws ``TensorFileError`` naming the offending opcode's offset.
package struct PickleScan: Sendable {
    /// A global the pickle imports.
    package struct Global: Sendable, Equatable, CustomStringConvertible {
        package var module: String
        package var name: String
        /// Where its opcode is, counted from the start of the scanned bytes.
        package var offset: Int
        /// `GLOBAL`, `INST` or `STACK_GLOBAL`.
        package var opcode: String

        /// `module.name`.
        package var description: String { "\(module).\(name)" }
    }

    /// An extension-registry reference (EXT1, EXT2, EXT4): a global named only by a number the
    /// loading process's `copyreg` registry maps, so it cannot be known statically.
    package struct Extension: Sendable, Equatable {
        package var code: Int
        package var offset: Int
    }

    /// Every global imported, in file order.
    package private(set) var globals: [Global] = []
    /// Offsets of STACK_GLOBALs whose module or name is not a constant string.
    package private(set) var unresolvedGlobals: [Int] = []
    package private(set) var extensions: [Extension] = []
    /// How many calls an unpickler would make (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST), and how
    /// many BUILDs (which call `__setstate__` or update `__dict__`).
    package private(set) var callCount = 0
    package private(set) var buildCount = 0
    /// The protocol its PROTO opcode declares (0 or 1 when it has none).
    package private(set) var protocolVersion = 0
    /// The object the pickle builds, described.
    package private(set) var root: PickleValue = .none
    /// The containers, calls and persistent ids the walk built, which ``PickleValue/node(_:)``
    /// values refer to.
    package private(set) var nodes: [PickleNode] = []
    /// The offset just past the STOP opcode.
    package private(set) var end = 0

    /// Walks the pickle that starts at `start` in `bytes`; errors name `source` and offsets
    /// counted from the start of `bytes`.
    package init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, source: String) throws(TensorFileError) {
        var walk = Walk(bytes: bytes, position: start, source: source)
        try walk.run(into: &self)
    }

    mutating func record(_ global: Global) { globals.append(global) }
    mutating func recordUnresolved(at offset: Int) { unresolvedGlobals.append(offset) }
    mutating func record(_ extension_: Extension) { extensions.append(extension_) }
    mutating func countCall() { callCount += 1 }
    mutating func countBuild() { buildCount += 1 }
    mutating func finish(root: PickleValue, nodes: [PickleNode], end: Int, protocolVersion: Int) {
        self.root = root
        self.nodes = nodes
        self.end = end
        self.protocolVersion = protocolVersion
    }
}
