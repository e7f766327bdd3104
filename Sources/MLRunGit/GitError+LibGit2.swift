import CLibGit2

extension GitError {
    /// The error libgit2 recorded for the calling thread's last failed call, as `kind`.
    ///
    /// Must be called right after the failing `git_*` call: libgit2 keeps one error per
    /// thread and the next call may replace it.
    static func last(_ kind: Kind, code: Int32, operation: String) -> GitError {
        var message = ""
        if let error = git_error_last(), let text = error.pointee.message {
            message = String(cString: text).trimmingTrailingNewlines()
        }
        if message.isEmpty { message = "error code \(code)" }
        return GitError(kind, message: message, operation: operation)
    }

    /// Throws the last libgit2 error as `.other` when `code` is negative (libgit2's failure convention).
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
        if code < 0 { throw last(.other, code: code, operation: operation()) }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last.isNewline { text.removeLast() }
        return String(text)
    }
}
