import CLibGit2
import Foundation
import Testing

@testable import MLRunGit

/// The sliced, multi-threaded working-tree comparison must see exactly what the single one sees.
@Suite struct WorkingTreeDiffTests {
    /// A repository with every shape slicing has to get right, committed, then changed.
    func awkwardRepository() throws -> TemporaryRepository {
        let fixture = try TemporaryRepository()
        var files: [String: String] = [".gitignore": "*.log\nignored-dir/\n"]
        for folder in 0..<6 {
            for file in 0..<12 { files["big/part\(folder)/f\(file).py"] = "x = \(folder * 100 + file)\n" }
        }
        for file in 0..<30 { files["lib/core/m\(file).py"] = "y = \(file)\n" }
        files["lib/core/.gitignore"] = "*.tmp\n"
        files["a"] = "file named a\n"
        files["a-b/x.txt"] = "x\n"
        files["a.txt"] = "a\n"
        files["ab/y.txt"] = "y\n"
        files["with space/é.txt"] = "unicode\n"
        files["gone/one.txt"] = "1\n"
        files["gone/two.txt"] = "2\n"
        files["becomes-folder"] = "file\n"
        files["moved-away.txt"] = GitRepositoryChangedPathsTests.body
        files["big/part2/moved-too.txt"] = GitRepositoryChangedPathsTests.body + "second\n"
        try fixture.commit("first", files: files)
        try fixture.write("ignored-dir/tracked.txt", "t\n")
        try fixture.git("add", "-f", "ignored-dir/tracked.txt")
        try fixture.commit("tracked file in an ignored folder")

        try fixture.write("big/part0/f1.py", "x = 'edited'\n")
        try fixture.write("big/part5/new.py", "new\n")
        try fixture.write("big/part5/deeper/new.py", "new\n")
        try fixture.write("big/brand-new/a.py", "new\n")
        try fixture.write("lib/core/m3.py", "y = 'staged'\n")
        try fixture.git("add", "lib/core/m3.py")
        try fixture.write("lib/core/scratch.tmp", "ignored by the nested .gitignore\n")
        try fixture.write("lib/core/debug.log", "ignored\n")
        try fixture.write("ignored-dir/new.txt", "ignored\n")
        try fixture.write("ignored-dir/tracked.txt", "edited\n")
        try fixture.remove("gone")
        try fixture.remove("becomes-folder")
        try fixture.write("becomes-folder/inside.txt", "now a folder\n")
        try fixture.write("a", "edited a\n")
        try fixture.write("with space/é.txt", "edited unicode\n")
        try FileManager.default.createDirectory(at: fixture.url.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try fixture.git("mv", "moved-away.txt", "elsewhere/moved-away.txt")
        try FileManager.default.moveItem(
            at: fixture.url.appendingPathComponent("big/part2/moved-too.txt"),
            to: fixture.url.appendingPathComponent("lib/moved-too.txt"))
        let nested = fixture.url.appendingPathComponent("big/part3/nested-repo")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try fixture.git("init", "-q", in: nested)
        try fixture.write("big/part3/nested-repo/inner.txt", "inner\n")
        return fixture
    }

    @Test(arguments: [2, 3, 5])
    func slicedMatchesWhole(slices: Int) throws {
        let fixture = try awkwardRepository()
        let repository = try GitRepository.open(containing: fixture.url)
        let whole = try repository.changedPaths(since: nil, slicing: .none)
        let sliced = try repository.changedPaths(
            since: "HEAD~1",
            slicing: .init(maximumSlices: slices, minimumEntries: 0, entriesPerSlice: 1))
        let wholeSince = try repository.changedPaths(since: "HEAD~1", slicing: .none)
        #expect(whole.paths.contains("elsewhere/moved-away.txt"))
        #expect(whole.details["lib/moved-too.txt"] == "renamed from big/part2/moved-too.txt")
        #expect(!whole.paths.contains("lib/core/scratch.tmp"))
        #expect(whole.paths.contains("ignored-dir/tracked.txt"))
        #expect(!whole.paths.contains("ignored-dir/new.txt"))
        #expect(sliced == wholeSince)
        let slicedHead = try repository.changedPaths(
            since: nil, slicing: .init(maximumSlices: slices, minimumEntries: 0, entriesPerSlice: 1))
        #expect(slicedHead == whole)
    }

    @Test func smallIndexesAndCaseInsensitiveRepositoriesRunWhole() throws {
        let fixture = try awkwardRepository()
        let repository = try GitRepository.open(containing: fixture.url)
        let eager = WorkingTreeDiff.Slicing(maximumSlices: 3, minimumEntries: 0, entriesPerSlice: 1)
        #expect(try WorkingTreeDiff.make(repository, tree: nil, slicing: eager, operation: "test").slices == 3)
        #expect(try WorkingTreeDiff.make(repository, tree: nil, slicing: .automatic, operation: "test").slices == 1)
        try fixture.git("config", "core.ignorecase", "true")
        let reopened = try GitRepository.open(containing: fixture.url)
        #expect(try WorkingTreeDiff.make(reopened, tree: nil, slicing: eager, operation: "test").slices == 1)
    }

    @Test func slicesCoverEveryPathExactlyOnce() throws {
        let fixture = try awkwardRepository()
        let repository = try GitRepository.open(containing: fixture.url)
        var index: OpaquePointer?
        #expect(git_repository_index(&index, repository.handle) == 0)
        defer { git_index_free(index) }
        let plan = WorkingTreeSlices(index: try #require(index), workdir: repository.workdir.path, count: 3)
        #expect(plan.paths.count == 3)
        let entries = plan.paths.flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
        #expect(Set(entries).count == entries.count)

        func owners(of path: String) -> Int {
            entries.filter { path == $0 || path.hasPrefix($0 + "/") }.count
        }
        for position in 0..<git_index_entrycount(index) {
            let path = String(cString: git_index_get_byindex(index, position).pointee.path)
            #expect(owners(of: path) == 1, "index entry \(path)")
        }
        let walker = FileManager.default.enumerator(atPath: fixture.url.path)
        while let path = walker?.nextObject() as? String {
            if path == ".git" { walker?.skipDescendants(); continue }
            #expect(owners(of: path) == 1 || entries.contains { $0.hasPrefix(path + "/") }, "working tree path \(path)")
        }
    }
}
