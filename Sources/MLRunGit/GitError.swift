/// A failure reading a repository through libgit2, with libgit2's own explanation.
///
/// `kind` says what went wrong in terms a caller can act on (the folder is not in a
/// repository, a revision does not exist); `message` is the text libgit2 gave for it
/// (`git_error_last()`), kept verbatim so a user sees exactly what libgit2 saw.
package struct GitError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in the caller's terms.
    package enum Kind: Sendable, Equatable {
        /// No repository contains `path` (neither it nor any parent holds a `.git`).
        case notARepository(path: String)
        /// `revision` names no commit: it does not exist, is ambiguous, or is not a commit.
        case unknownRevision(String)
        /// Any other libgit2 failure; `GitError.operation` says what was being done.
        case other
    }

    /// What went wrong, in the caller's terms.
    package var kind: Kind
    /// libgit2's explanation (`git_error_last()`), or mlrun's own when libgit2 gave none.
    package var message: String
    /// What mlrun was doing, e.g. `diff the working tree against 1a2b3c4`; used for `.other`.
    package var operation: String

    /// Creates an error; `operation` only shows in the description of `.other` errors.
    package init(_ kind: Kind, message: String, operation: String = "read the repository") {
        self.kind = kind
        self.message = message
        self.operation = operation
    }

    /// One line naming the folder or revision, then libgit2's words in parentheses, e.g.
    /// `unknown revision 'nope' (libgit2: revspec 'nope' not found)`.
    package var description: String {
        let summary: String
        switch kind {
        case .notARepository(let path): summary = "not a git repository: \(path)"
        case .unknownRevision(let revision): summary = "unknown revision '\(revision)'"
        case .other: summary = "cannot \(operation)"
        }
        return message.isEmpty ? summary : "\(summary) (libgit2: \(message))"
    }
}
