/// A data file that cannot be read: what is wrong and where.
///
/// `line` and `column` are 1-based; `column` counts characters (Unicode scalars) from the
/// start of the line. Either may be absent when the problem has no place (a missing file).
package struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it (relative to the config's folder when it came from there).
    package var file: String
    package var line: Int64?
    package var column: Int?
    package var message: String

    package init(file: String, line: Int64? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `data/train.csv: line 3, column 7: expected 5 fields …`.
    package var description: String {
        var text = file
        if let line {
            text += ": line \(line)"
            if let column { text += ", column \(column)" }
        }
        return text + ": " + message
    }
}
