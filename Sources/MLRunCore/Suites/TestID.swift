/// A test's id, `<suite>::<name>`: stable across runs and machines.
public struct TestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var suite: String
    public var name: String

    public init(suite: String, name: String) {
        self.suite = suite
        self.name = name
    }

    public var description: String { "\(suite)::\(name)" }

    public static func < (lhs: TestID, rhs: TestID) -> Bool {
        lhs.description.utf8.lexicographicallyPrecedes(rhs.description.utf8)
    }
}

/// A test as its suite discovered it.
public struct TestCase: Sendable, Hashable {
    /// The test's name within its suite (the part of the id after `::`).
    public var name: String
    /// The test's own markers; the suite's markers are added by the planner.
    public var markers: [Marker]
    /// Files whose change selects this test, relative to the config file's folder.
    public var paths: [String]
    /// The test's own time limit in seconds, if it has one.
    public var timeout: Double?
    /// The names `-k` matches against, when the suite's framework has its own (pytest's node
    /// names, extra keywords and marker names): a `-k` name then holds when it is a
    /// case-insensitive substring of one of them. `nil`: the id and marker names (the default).
    public var keywords: [String]?

    public init(name: String, markers: [Marker] = [], paths: [String] = [], timeout: Double? = nil, keywords: [String]? = nil) {
        self.name = name
        self.markers = markers
        self.paths = paths
        self.timeout = timeout
        self.keywords = keywords
    }
}
