/// A position in a config file: 1-based line and column.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem with the config: bad TOML, an unknown key, a wrong type, a missing file.
///
/// Rendered as `FILE:LINE:COLUMN: error: MESSAGE`, the form editors and CI annotations link.
/// A check that finds several problems of one kind at once (every unknown key of a table)
/// throws one error for the first and lists the others in `further`; each is rendered on a
/// line of its own, in the same form.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var position: SourcePosition?
    public var file: String?
    public var message: String
    /// Problems found by the same check after the first, in file order.
    public var further: [ConfigError] = []

    public init(_ message: String, at position: SourcePosition, further: [ConfigError] = []) {
        self.position = position
        self.file = position.file
        self.message = message
        self.further = further
    }

    public init(_ message: String, file: String?) {
        self.position = nil
        self.file = file
        self.message = message
    }

    /// This problem's line, then one line for each of `further`.
    public var description: String {
        ([line] + further.map(\.description)).joined(separator: "\n")
    }

    private var line: String {
        if let position { return "\(position): error: \(message)" }
        if let file { return "\(file): error: \(message)" }
        return "error: \(message)"
    }
}
