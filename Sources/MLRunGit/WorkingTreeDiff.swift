import CLibGit2
import Foundation

/// A diff from a base tree to the working tree through the index, with everything it borrows.
///
/// The same result as `git_diff_tree_to_workdir_with_index` (base→index merged with
/// index→working tree, as `git diff BASE` sees it, plus untracked files and renames), but on a
/// large index the working tree is compared in `WorkingTreeSlices` on several threads.
///
/// Threading, since libgit2 objects are single-threaded: each thread works on its own
/// `git_repository` handle, opened for that thread; the one thing the threads share is a
/// `git_index` loaded once for this diff (not the repository's own), which they only read:
/// libgit2 takes a snapshot of its (already sorted) entry list with atomic reference counts,
/// and looks `.gitattributes` up in it. Handing it to each worker with
/// `git_repository_set_index` spares each one reloading the index (the dominant fixed cost).
/// The slices' diffs are then merged, on the calling thread, by `git_diff_merge`, which is
/// exactly how libgit2 joins base→index and index→working tree itself.
final class WorkingTreeDiff {
    /// The `git_diff *`, renames already found.
    let diff: OpaquePointer
    /// The `git_index *` the diff was taken against.
    let index: OpaquePointer
    /// Worker handles the diff still points into; freed after it.
    private let workers: [OpaquePointer]

    /// How many slices the working tree was compared in (1: on the calling thread, whole).
    var slices: Int { max(1, workers.count - 1) }

    private init(diff: OpaquePointer, index: OpaquePointer, workers: [OpaquePointer]) {
        self.diff = diff
        self.index = index
        self.workers = workers
    }

    deinit {
        git_diff_free(diff)
        for worker in workers { git_repository_free(worker) }
        git_index_free(index)
    }

    /// How many threads compare the working tree, and from what index size it is worth it.
    struct Slicing: Sendable {
        /// Upper bound on slices (and threads for them).
        var maximumSlices: Int
        /// Below this many index entries, one thread does everything.
        var minimumEntries: Int
        /// Each slice gets at least about this many index entries.
        var entriesPerSlice: Int

        /// As many slices as processors, at most 4 (each adds a fixed cost of a few milliseconds),
        /// from 4,000 index entries, at least 1,000 entries a slice.
        static let automatic = Slicing(
            maximumSlices: min(4, ProcessInfo.processInfo.activeProcessorCount),
            minimumEntries: 4_000, entriesPerSlice: 1_000)
        /// Always one thread.
        static let none = Slicing(maximumSlices: 1, minimumEntries: .max, entriesPerSlice: .max)
    }

    /// Diffs `tree` (`nil`: the empty tree) against the working tree of `repository`.
    static func make(
        _ repository: GitRepository, tree: OpaquePointer?, slicing: Slicing,
        operation: String
    ) throws(GitError) -> WorkingTreeDiff {
        let result: WorkingTreeDiff
        if slicing.maximumSlices > 1, !(try isCaseInsensitive(repository)),
            let sliced = try sliced(repository, tree: tree, slicing: slicing, operation: operation)
        {
            result = sliced
        } else {
            result = try whole(repository, tree: tree, operation: operation)
        }
        // FOR_UNTRACKED pairs a deleted file with an untracked one, so an unstaged `mv` reads as a
        // rename too; both paths are recorded either way, detection only improves the details.
        var similarity = git_diff_find_options()
        try GitError.check(git_diff_find_options_init(&similarity, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), operation)
        similarity.flags = GIT_DIFF_FIND_RENAMES.rawValue | GIT_DIFF_FIND_FOR_UNTRACKED.rawValue
        try GitError.check(git_diff_find_similar(result.diff, &similarity), "find renames")
        return result
    }

    /// Diff options for every part: untracked files one by one, type changes, no binary sniffing
    /// (nothing here reads contents), and no ignored files.
    static func options(
        pathspec: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil,
        count: Int = 0
    ) -> git_diff_options {
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.flags =
            GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue | GIT_DIFF_SKIP_BINARY_CHECK.rawValue
        if let pathspec {
            options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
            options.pathspec = git_strarray(strings: pathspec, count: count)
        }
        return options
    }

    /// Everything on the calling thread, on the repository's own handle and index.
    private static func whole(
        _ repository: GitRepository, tree: OpaquePointer?,
        operation: String
    ) throws(GitError) -> WorkingTreeDiff {
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, repository.handle), "read the index")
        guard let index else { throw GitError(.other, message: "no index", operation: "read the index") }
        var diff: OpaquePointer?
        var options = options()
        let code = git_diff_tree_to_workdir_with_index(&diff, repository.handle, tree, &options)
        guard code >= 0, let diff else {
            let error = GitError.last(.other, code: code, operation: operation)
            git_index_free(index)
            throw error
        }
        return WorkingTreeDiff(diff: diff, index: index, workers: [])
    }

    /// Base→index on one thread and the working tree in slices on others; `nil` when the index
    /// is too small or does not split.
    private static func sliced(
        _ repository: GitRepository, tree: OpaquePointer?, slicing: Slicing,
        operation: String
    ) throws(GitError) -> WorkingTreeDiff? {
        let gitdir = String(cString: git_repository_path(repository.handle))
        var loaded: OpaquePointer?
        try GitError.check(git_index_open(&loaded, gitdir + "index"), "read the index")
        guard let index = loaded else { return nil }
        var workers: [OpaquePointer] = []
        var handedOver = false
        defer {
            if !handedOver {
                for worker in workers { git_repository_free(worker) }
                git_index_free(index)
            }
        }
        let total = git_index_entrycount(index)
        guard total >= slicing.minimumEntries else { return nil }
        let slices = WorkingTreeSlices(
            index: index, workdir: repository.workdir.path,
            count: min(slicing.maximumSlices, max(1, total / max(1, slicing.entriesPerSlice))))
        guard slices.paths.count > 1 else { return nil }

        // One handle per thread (slot 0: base→index), all reading the index loaded above; opened
        // here, on one thread, because handing over the index is not itself thread-safe.
        // A layout a second handle cannot reach the same way (a `.git` elsewhere) runs whole.
        for _ in 0...slices.paths.count {
            var opened: OpaquePointer?
            guard
                git_repository_open_ext(
                    &opened, repository.workdir.path,
                    GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil) >= 0,
                let worker = opened
            else { return nil }
            workers.append(worker)
            guard let workdir = git_repository_workdir(worker),
                String(cString: workdir) == String(cString: git_repository_workdir(repository.handle)),
                String(cString: git_repository_path(worker)) == gitdir
            else { return nil }
            try GitError.check(git_repository_set_index(worker, index), "share the index")
        }
        try GitError.check(git_index_set_caps(index, GIT_INDEX_CAPABILITY_FROM_OWNER.rawValue), "read the index")

        let parts = Parts(
            handles: workers, tree: tree, index: index,
            pathspecs: slices.paths.map(CStringList.init), operation: operation)
        DispatchQueue.concurrentPerform(iterations: workers.count) { parts.run($0) }
        let diffs = try parts.collect()
        // The slices are disjoint, so merging them is a union; merging that into base→index
        // blends each path's two halves. Only base→index survives, as the result.
        defer { for diff in handedOver ? Array(diffs.dropFirst()) : diffs { git_diff_free(diff) } }
        for slice in diffs.dropFirst(2) {
            try GitError.check(git_diff_merge(diffs[1], slice), operation)
        }
        try GitError.check(git_diff_merge(diffs[0], diffs[1]), operation)
        handedOver = true
        return WorkingTreeDiff(diff: diffs[0], index: index, workers: workers)
    }

    /// Whether the repository compares paths ignoring case (`core.ignorecase`), which breaks the
    /// byte order slicing relies on.
    private static func isCaseInsensitive(_ repository: GitRepository) throws(GitError) -> Bool {
        var config: OpaquePointer?
        try GitError.check(git_repository_config_snapshot(&config, repository.handle), "read the config")
        defer { git_config_free(config) }
        var value: Int32 = 0
        let code = git_config_get_bool(&value, config, "core.ignorecase")
        if code == GIT_ENOTFOUND.rawValue { return false }
        try GitError.check(code, "read core.ignorecase")
        return value != 0
    }
}

/// The parts of a sliced diff, run by `DispatchQueue.concurrentPerform`: part 0 is base→index,
/// part k the working tree's slice k. Unchecked because it holds libgit2 pointers: each part
/// uses its own handle and result slot, the index only for reading (see `WorkingTreeDiff`),
/// and results are read after `concurrentPerform` returns, which orders them after the writes.
private final class Parts: @unchecked Sendable {
    private let handles: [OpaquePointer]
    private let tree: OpaquePointer?
    private let index: OpaquePointer
    private let pathspecs: [CStringList]
    private let operation: String
    /// One slot per part, written through the pointer so threads never touch a shared array.
    private let diffs: UnsafeMutableBufferPointer<OpaquePointer?>
    private let errors: UnsafeMutableBufferPointer<GitError?>

    init(
        handles: [OpaquePointer], tree: OpaquePointer?, index: OpaquePointer, pathspecs: [CStringList],
        operation: String
    ) {
        self.handles = handles
        self.tree = tree
        self.index = index
        self.pathspecs = pathspecs
        self.operation = operation
        diffs = .allocate(capacity: handles.count)
        diffs.initialize(repeating: nil)
        errors = .allocate(capacity: handles.count)
        errors.initialize(repeating: nil)
    }

    deinit {
        diffs.deallocate()
        _ = errors.deinitialize()
        errors.deallocate()
    }

    /// Runs part `part` on the calling thread.
    func run(_ part: Int) {
        var diff: OpaquePointer?
        let code: Int32
        if part == 0 {
            var options = WorkingTreeDiff.options()
            code = git_diff_tree_to_index(&diff, handles[0], tree, index, &options)
        } else {
            let paths = pathspecs[part - 1]
            var options = WorkingTreeDiff.options(pathspec: paths.pointers, count: paths.count)
            code = git_diff_index_to_workdir(&diff, handles[part], index, &options)
        }
        // libgit2's error text is per thread: read it on this one.
        let error = code < 0 ? GitError.last(.other, code: code, operation: operation) : nil
        diffs[part] = diff
        errors[part] = error
    }

    /// Every part's diff; on any failure, frees them all and throws the first error.
    func collect() throws(GitError) -> [OpaquePointer] {
        let present = diffs.compactMap { $0 }
        if present.count == diffs.count { return present }
        // Freed here; the caller owns nothing on failure.
        for diff in present { git_diff_free(diff) }
        throw errors.compactMap { $0 }.first
            ?? GitError(.other, message: "libgit2 returned no diff", operation: operation)
    }
}

/// A `char **` list of C strings, owned and freed with the value, for `git_strarray`.
private final class CStringList: @unchecked Sendable {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ paths: [[UInt8]]) {
        count = paths.count
        pointers = .allocate(capacity: max(1, paths.count))
        for (offset, path) in paths.enumerated() {
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: path.count + 1)
            for (byte, value) in path.enumerated() { copy[byte] = CChar(bitPattern: value) }
            copy[path.count] = 0
            pointers[offset] = copy
        }
    }

    deinit {
        for offset in 0..<count { pointers[offset]?.deallocate() }
        pointers.deallocate()
    }
}
