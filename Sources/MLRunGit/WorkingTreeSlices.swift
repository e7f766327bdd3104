import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Disjoint lists of paths that together cover a working tree, of similar size, so that several
/// threads can each compare one list against the index.
///
/// `git status` stats the files of a large index from several threads; libgit2 has no such
/// option, but one `git_diff_index_to_workdir` restricted to a path list
/// (`GIT_DIFF_DISABLE_PATHSPEC_MATCH`) only walks the folders on that list, so slices walked
/// side by side do the same work in less time.
///
/// Coverage is what correctness rests on: every index entry and every name in the working
/// tree must fall under exactly one slice. A slice entry is a path without a trailing slash,
/// which libgit2 matches as that file or everything under that folder. The plan starts from
/// the top-level names (index ∪ `readdir`) and splits the heaviest folder into its own names
/// (index ∪ `readdir` again) while one folder would dominate a slice; a folder is split only
/// when it is a real folder, has no index entry of its own (a submodule, or a file turned into
/// a folder) and holds no `.git` (a nested repository). Paths stay raw bytes, as git stores them.
struct WorkingTreeSlices {
    /// A candidate for a slice: a file or folder, and the index entries at or under it.
    struct Unit {
        /// Path relative to the working tree, '/'-separated, no trailing slash.
        var path: [UInt8]
        /// Index positions of the entries at or under `path` (the index is sorted, so they form runs).
        var entries: [Range<Int>] = []
        /// Whether the index holds `path` itself (a file, a link or a submodule).
        var isIndexEntry = false
        /// Whether splitting `path` into its names is still worth trying.
        var splittable = true

        /// Index entries under the unit, plus one for the unit itself, as a cost estimate.
        var weight: Int { entries.reduce(1) { $0 + $1.count } }
    }

    /// The slices, each a list of paths; never empty, and a single empty list means "no slicing".
    let paths: [[[UInt8]]]

    /// Plans up to `count` slices of the working tree at `workdir` (no trailing slash) against `index`.
    ///
    /// `index` must be sorted by path bytes, as a case-sensitive index is after loading.
    init(index: OpaquePointer, workdir: String, count: Int) {
        let total = git_index_entrycount(index)
        guard count > 1, var units = Self.names(under: [], entries: [0..<total], index: index, workdir: workdir) else {
            paths = [[]]
            return
        }
        // Split while some folder holds more than a quarter of a slice's share.
        let share = max(1, total / (count * 4))
        var splits = 0
        while splits < 256,
            let heaviest = units.indices.filter({ units[$0].splittable && !units[$0].isIndexEntry })
                .max(by: { units[$0].weight < units[$1].weight }),
            units[heaviest].weight > share
        {
            if Self.isRealFolder(workdir, units[heaviest].path),
                let names = Self.names(
                    under: units[heaviest].path, entries: units[heaviest].entries,
                    index: index, workdir: workdir)
            {
                units.remove(at: heaviest)
                units += names
                splits += 1
            } else {
                units[heaviest].splittable = false
            }
        }
        // Longest-processing-time-first: heaviest unit to the lightest slice.
        var slices = Array(repeating: (weight: 0, paths: [[UInt8]]()), count: count)
        for unit in units.sorted(by: { $0.weight > $1.weight }) {
            let lightest = slices.indices.min(by: { slices[$0].weight < slices[$1].weight }) ?? 0
            slices[lightest].weight += unit.weight
            slices[lightest].paths.append(unit.path)
        }
        let filled = slices.map(\.paths).filter { !$0.isEmpty }
        paths = filled.count > 1 ? filled : [[]]
    }

    /// The names directly under folder `prefix` (empty for the root), from the index entries in
    /// `entries` and from the folder itself; `nil` when the folder cannot be listed or holds a
    /// `.git` below the root (a nested repository is walked as one piece).
    ///
    /// The index is sorted by path bytes, so everything under `name/` is one run of entries: its
    /// end is found by binary search, and the cost is per name, not per entry.
    static func names(under prefix: [UInt8], entries: [Range<Int>], index: OpaquePointer, workdir: String) -> [Unit]? {
        var units: [Unit] = []
        var position: [[UInt8]: Int] = [:]
        func add(_ path: [UInt8], _ run: Range<Int>, isIndexEntry: Bool) {
            let slot = position[path] ?? units.count
            if slot == units.count {
                position[path] = slot
                units.append(Unit(path: path))
            }
            units[slot].entries.append(run)
            units[slot].isIndexEntry = units[slot].isIndexEntry || isIndexEntry
        }
        let skip = prefix.isEmpty ? 0 : prefix.count + 1
        for run in entries {
            var entry = run.lowerBound
            while entry < run.upperBound {
                guard let raw = git_index_get_byindex(index, entry)?.pointee.path, strlen(raw) > skip else {
                    entry += 1
                    continue
                }
                var end = skip
                while raw[end] != 0 && raw[end] != 0x2F { end += 1 }
                let name = (skip..<end).map { UInt8(bitPattern: raw[$0]) }
                let path = prefix.isEmpty ? name : prefix + [0x2F] + name
                if raw[end] == 0 {
                    add(path, entry..<(entry + 1), isIndexEntry: true)
                    entry += 1
                    continue
                }
                let folder = path + [0x2F]
                var low = entry + 1, high = run.upperBound
                while low < high {
                    let middle = (low + high) / 2
                    if hasPrefix(git_index_get_byindex(index, middle)?.pointee.path, folder) {
                        low = middle + 1
                    } else {
                        high = middle
                    }
                }
                add(path, entry..<low, isIndexEntry: false)
                entry = low
            }
        }
        guard let listed = listFolder(workdir, prefix) else { return nil }
        for name in listed {
            if name == Array(".git".utf8) {
                if prefix.isEmpty { continue }
                return nil
            }
            let path = prefix.isEmpty ? name : prefix + [0x2F] + name
            if position[path] == nil {
                position[path] = units.count
                units.append(Unit(path: path, splittable: false))
            }
        }
        return units
    }

    /// Whether C string `path` starts with the bytes of `prefix`.
    private static func hasPrefix(_ path: UnsafePointer<CChar>?, _ prefix: [UInt8]) -> Bool {
        guard let path, strlen(path) >= prefix.count else { return false }
        return memcmp(path, prefix, prefix.count) == 0
    }

    /// The names in folder `relative` of the working tree, or `nil` when it cannot be read.
    static func listFolder(_ workdir: String, _ relative: [UInt8]) -> [[UInt8]]? {
        let folder = Array(workdir.utf8) + (relative.isEmpty ? [] : [0x2F] + relative)
        guard let stream = folder.withCString({ opendir($0) }) else { return nil }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { bytes in
                    Array(UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    /// Whether `relative` is a folder in the working tree, not a link to one.
    static func isRealFolder(_ workdir: String, _ relative: [UInt8]) -> Bool {
        let path = Array(workdir.utf8) + [0x2F] + relative
        var status = stat()
        guard path.withCString({ lstat($0, &status) }) == 0 else { return false }
        return (status.st_mode & S_IFMT) == S_IFDIR
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with the bytes as a NUL-terminated C string.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (self + [0]).withUnsafeBufferPointer { bytes in
            try bytes.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}
