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
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var position: SourcePosition?
    public var file: String?
    public var message: String

    public init(_ message: String, at position: SourcePosition) {
        self.position = position
        self.file = position.file
        self.message = message
    }

    public init(_ message: String, file: String?) {
        self.position = nil
        self.file = file
        self.message = message
    }

    public var description: String {
        if let position { return "\(position): error: \(message)" }
        if let file { return "\(file): error: \(message)" }
        return "error: \(message)"
    }
}
