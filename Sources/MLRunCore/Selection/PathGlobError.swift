/// A path glob that cannot be compiled, with the 1-based column of the problem.
package struct PathGlobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The glob as written.
    package var pattern: String
    /// 1-based column (in Unicode scalars) of the offending character, e.g. the unclosed `[`.
    package var column: Int
    /// What is wrong, e.g. `character class '[' is not closed with ']' before the end of the glob`.
    package var message: String

    /// Creates an error for `pattern` at `column`.
    package init(pattern: String, column: Int, message: String) {
        self.pattern = pattern
        self.column = column
        self.message = message
    }

    /// `glob 'src/[ab': at column 5: character class '[' is not closed …`.
    package var description: String { "glob '\(pattern)': at column \(column): \(message)" }
}
