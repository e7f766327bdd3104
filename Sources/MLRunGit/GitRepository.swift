import CLibGit2
import Foundation

/// libgit2's process-wide state, set up on first use and never torn down.
///
/// A global `let` is initialised exactly once, atomically, so this runs `git_libgit2_init()` once
/// however many threads open repositories. Shutting down is left to process exit: another
/// repository may be opened at any time. mlrun only reads, so it skips re-hashing every object
/// it inflates (strict hash verification): zlib still checks each object's own checksum.
private let libgit2Ready: Bool = {
    guard git_libgit2_init() >= 0 else { return false }
    return mlrun_git_disable_strict_hash_verification() >= 0
}()

/// A git repository opened through libgit2, never by running the `git` program.
///
/// The handle is freed when the value goes away. Like libgit2's own repository object, one
/// value must not be used from two threads at once; open one per task instead.
package final class GitRepository {
    /// The libgit2 `git_repository *`, owned by this value.
    let handle: OpaquePointer

    /// The working tree's root folder: absolute, symlinks resolved (libgit2 resolves them when
    /// it searches), no trailing slash in `path`.
    package let workdir: URL

    private init(handle: OpaquePointer, workdir: URL) {
        self.handle = handle
        self.workdir = workdir
    }

    deinit { git_repository_free(handle) }

    /// Sets libgit2 up now (it parses the system's CA bundle, ~5–15 ms), so a later `open`
    /// does not pay for it; safe to call from any thread, any number of times.
    package static func warmUp() {
        _ = libgit2Ready
    }

    /// Opens the repository containing `folder` (searching parents; works from a subfolder and in a linked worktree).
    ///
    /// The search stops at the file system root, as `git` does without `GIT_CEILING_DIRECTORIES`.
    /// A bare repository has no working tree and is refused.
    package static func open(containing folder: URL) throws(GitError) -> GitRepository {
        guard libgit2Ready else {
            throw GitError(.other, message: "git_libgit2_init failed", operation: "initialise libgit2")
        }
        let path = folder.standardizedFileURL.path
        var opened: OpaquePointer?
        let code = git_repository_open_ext(&opened, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue {
            throw GitError.last(.notARepository(path: path), code: code, operation: "open \(path)")
        }
        guard code >= 0, let handle = opened else {
            throw GitError.last(.other, code: code, operation: "open the repository containing \(path)")
        }
        guard let rawWorkdir = git_repository_workdir(handle) else {
            git_repository_free(handle)
            throw GitError(
                .other, message: "a bare repository has no working tree",
                operation: "open the repository containing \(path)")
        }
        var workdirPath = String(cString: rawWorkdir)
        while workdirPath.count > 1 && workdirPath.hasSuffix("/") { workdirPath.removeLast() }
        let workdir = URL(fileURLWithPath: workdirPath, isDirectory: true).standardizedFileURL
        return GitRepository(handle: handle, workdir: workdir)
    }

    /// Resolves a revision (HEAD~1, origin/main, a tag, a short sha) to a commit id (hex).
    ///
    /// Anything `git rev-parse` accepts works; an annotated tag is peeled to its commit. A
    /// revision that does not exist, is ambiguous, or names a tree or blob is `.unknownRevision`.
    package func resolve(_ revision: String) throws(GitError) -> String {
        Self.hex(try commitID(revision))
    }

    /// The best common ancestor of two revisions (hex), as `git merge-base A B`.
    ///
    /// Each argument is resolved as by `resolve(_:)`. Histories with no common commit are `.other`.
    package func mergeBase(_ a: String, _ b: String) throws(GitError) -> String {
        Self.hex(try mergeBaseID(try commitID(a), try commitID(b), of: "'\(a)' and '\(b)'"))
    }

    // MARK: - Object ids

    /// The commit `revision` names, peeled through tags.
    func commitID(_ revision: String) throws(GitError) -> git_oid {
        var object: OpaquePointer?
        let parsed = git_revparse_single(&object, handle, revision)
        guard parsed >= 0, let object else {
            let unknown =
                parsed == GIT_ENOTFOUND.rawValue || parsed == GIT_EAMBIGUOUS.rawValue
                || parsed == GIT_EINVALIDSPEC.rawValue
            throw GitError.last(
                unknown ? .unknownRevision(revision) : .other, code: parsed,
                operation: "resolve '\(revision)'")
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        guard peeled >= 0, let commit else {
            throw GitError.last(.unknownRevision(revision), code: peeled, operation: "resolve '\(revision)'")
        }
        defer { git_object_free(commit) }
        return git_object_id(commit).pointee
    }

    /// The commit `HEAD` points at, or `nil` when the current branch has no commits yet.
    func headID() throws(GitError) -> git_oid? {
        let unborn = git_repository_head_unborn(handle)
        try GitError.check(unborn, "read HEAD")
        return unborn == 1 ? nil : try commitID("HEAD")
    }

    /// The merge base of two commits; `described` names them in the error.
    func mergeBaseID(_ a: git_oid, _ b: git_oid, of described: String) throws(GitError) -> git_oid {
        var one = a, two = b, base = git_oid()
        try GitError.check(git_merge_base(&base, handle, &one, &two), "find a merge base of \(described)")
        return base
    }

    /// The 40-digit lowercase hex spelling of `id`.
    static func hex(_ id: git_oid) -> String {
        var id = id
        var digits = [CChar](repeating: 0, count: 40)
        git_oid_fmt(&digits, &id)
        return String(decoding: digits.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
