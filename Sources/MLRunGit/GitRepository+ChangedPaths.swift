import CLibGit2

extension GitRepository {
    /// Paths (relative to workdir, '/'-separated) that differ between `base` and the working tree:
    /// base = HEAD when `since` is nil (`--changed`), else merge-base(resolve(since), HEAD) (`--changed-since REV`).
    ///
    /// Covers: tree↔index↔working tree (staged and unstaged), untracked files that are not ignored
    /// (recursing into untracked folders), renames with rename detection on (both old and new
    /// paths count, staged or committed), deletions (the old path), submodule pointer changes
    /// (the submodule path). An unborn HEAD (no commits) compares against the empty tree.
    ///
    /// This is `git diff --name-status -M BASE` plus `git status`'s untracked files, in one pass:
    /// libgit2 diffs the base tree against the index and the index against the working tree and
    /// merges the two, trusting the index's stat cache so unchanged files are not read. No patch
    /// text is produced; file contents are read only to score rename candidates. On a large
    /// index the working tree is compared on several threads (see `WorkingTreeDiff`). A submodule
    /// counts when its recorded commit moved and, unless `submodule.<name>.ignore` says
    /// otherwise, when its own working tree is dirty, as in `git status`.
    ///
    /// `since` on a repository whose HEAD has no commits is `.unknownRevision("HEAD")`.
    package func changedPaths(since: String?) throws(GitError) -> ChangedPaths {
        try changedPaths(since: since, slicing: .automatic)
    }

    /// `changedPaths(since:)` with the working tree compared in slices as `slicing` says.
    func changedPaths(since: String?, slicing: WorkingTreeDiff.Slicing) throws(GitError) -> ChangedPaths {
        let baseID = try baseCommit(since: since)
        var tree: OpaquePointer?
        defer { git_tree_free(tree) }
        if let baseID { tree = try self.tree(of: baseID) }
        let against = baseID.map { Self.hex($0) }
        let operation = "diff \(against ?? "the empty tree") against the working tree"
        let diff = try WorkingTreeDiff.make(self, tree: tree, slicing: slicing, operation: operation)

        var changes = ChangedPaths(base: against)
        for position in 0..<git_diff_num_deltas(diff.diff) {
            guard let delta = git_diff_get_delta(diff.diff, position)?.pointee else { continue }
            if delta.status == GIT_DELTA_MODIFIED && isRestoredInWorkdir(delta, index: diff.index) { continue }
            Self.record(delta, into: &changes)
        }
        return changes
    }

    /// The commit to compare against: HEAD, or its merge base with `since`; `nil` for the empty tree.
    private func baseCommit(since: String?) throws(GitError) -> git_oid? {
        guard let since else { return try headID() }
        let theirs = try commitID(since)
        guard let head = try headID() else {
            throw GitError(
                .unknownRevision("HEAD"), message: "HEAD has no commits yet",
                operation: "find a merge base of '\(since)' and HEAD")
        }
        return try mergeBaseID(theirs, head, of: "'\(since)' and HEAD")
    }

    /// The root tree of commit `id`; the caller frees it with `git_tree_free`.
    private func tree(of id: git_oid) throws(GitError) -> OpaquePointer {
        var id = id
        var commit: OpaquePointer?
        defer { git_commit_free(commit) }
        let operation = "read the tree of \(Self.hex(id))"
        try GitError.check(git_commit_lookup(&commit, handle, &id), operation)
        var tree: OpaquePointer?
        try GitError.check(git_commit_tree(&tree, commit), operation)
        guard let tree else { throw GitError(.other, message: "no tree", operation: operation) }
        return tree
    }

    /// Whether a file staged with changes was put back, in the working tree, exactly as in the base.
    ///
    /// libgit2 blends base→index and index→working tree into one delta without comparing the
    /// two ends, so a staged edit undone in the working tree still reads as modified, where
    /// `git diff BASE` shows nothing. Only regular files whose index entry differs from the
    /// base are hashed (through the repository's filters, as git would), so the stat cache still
    /// spares every file that was not staged.
    private func isRestoredInWorkdir(_ delta: git_diff_delta, index: OpaquePointer) -> Bool {
        let regular = [GIT_FILEMODE_BLOB.rawValue, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue]
        guard delta.old_file.mode == delta.new_file.mode, regular.contains(UInt32(delta.old_file.mode)),
            let staged = git_index_get_bypath(index, delta.new_file.path, 0)?.pointee
        else { return false }
        var base = delta.old_file.id, stagedID = staged.id
        guard git_oid_equal(&base, &stagedID) == 0 else { return false }
        var working = git_oid()
        guard git_repository_hashfile(&working, handle, delta.new_file.path, GIT_OBJECT_BLOB, nil) >= 0 else {
            return false
        }
        return git_oid_equal(&base, &working) != 0
    }

    /// Adds the paths one diff entry touches, with what happened to each.
    private static func record(_ delta: git_diff_delta, into changes: inout ChangedPaths) {
        let old = String(cString: delta.old_file.path)
        let new = String(cString: delta.new_file.path)
        let submodule =
            UInt32(delta.old_file.mode) == GIT_FILEMODE_COMMIT.rawValue
            || UInt32(delta.new_file.mode) == GIT_FILEMODE_COMMIT.rawValue
        switch delta.status {
        case GIT_DELTA_RENAMED:
            changes.record(old, "renamed to \(new)")
            changes.record(new, "renamed from \(old)")
        case GIT_DELTA_COPIED:
            changes.record(new, "copied from \(old)")
        case GIT_DELTA_ADDED:
            changes.record(new, submodule ? "submodule added" : "added")
        case GIT_DELTA_DELETED:
            changes.record(old, submodule ? "submodule deleted" : "deleted")
        case GIT_DELTA_MODIFIED:
            changes.record(new, submodule ? "submodule changed" : "modified")
        case GIT_DELTA_UNTRACKED:
            changes.record(new, "untracked")
        case GIT_DELTA_TYPECHANGE:
            changes.record(new, "typechange")
        case GIT_DELTA_CONFLICTED:
            changes.record(new, "conflicted")
        case GIT_DELTA_UNREADABLE:
            changes.record(new, "unreadable")
        default:
            // UNMODIFIED and IGNORED are not requested; nothing else changes a path.
            break
        }
    }
}
