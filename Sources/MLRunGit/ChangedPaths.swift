/// The paths that differ between a base commit and the working tree, with why each one does.
///
/// Paths are relative to the repository's working tree and `/`-separated, as git writes
/// them. A rename contributes both its old and its new path; a deletion its old path; a
/// submodule whose recorded commit moved, its own path.
package struct ChangedPaths: Sendable, Equatable {
    /// Every changed path, relative to the working tree.
    package var paths: Set<String>
    /// The commit compared against (hex), or `nil` for the empty tree (a repository with no commits yet).
    package var base: String?
    /// For each path in `paths`, what happened to it, for `--explain`: `modified`, `added`,
    /// `deleted`, `untracked`, `typechange`, `conflicted`, `submodule changed`,
    /// `renamed to NEW` (on the old path), `renamed from OLD` (on the new path).
    /// A path touched twice (deleted in the index, then re-created untracked) lists both, joined by `; `.
    package var details: [String: String]

    /// Creates a set of changes; `details` should hold one entry per path in `paths`.
    package init(paths: Set<String> = [], base: String?, details: [String: String] = [:]) {
        self.paths = paths
        self.base = base
        self.details = details
    }

    /// Records that `path` changed, and how.
    mutating func record(_ path: String, _ detail: String) {
        paths.insert(path)
        if let earlier = details[path] {
            if !earlier.split(separator: "; ").contains(where: { $0 == detail }) {
                details[path] = earlier + "; " + detail
            }
        } else {
            details[path] = detail
        }
    }
}
