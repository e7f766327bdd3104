import Foundation
import MLRunGit
import Testing

/// `changedPaths(since:)` over real repositories built with the `git` program.
@Suite struct GitRepositoryChangedPathsTests {
    /// Text long enough for rename detection to score a moved file as similar.
    static let body = (1...40).map { "line \($0) of a file that moves around\n" }.joined()

    /// A repository with one commit holding `a.txt`, `b.txt`, `src/model.py` and a `.gitignore`.
    func committedRepository() throws -> (TemporaryRepository, head: String) {
        let fixture = try TemporaryRepository()
        let head = try fixture.commit(
            "first",
            files: [
                "a.txt": Self.body, "b.txt": "b\n", "src/model.py": "print('model')\n",
                ".gitignore": "*.log\nbuild/\n",
            ])
        return (fixture, head)
    }

    func changes(_ fixture: TemporaryRepository, since: String? = nil) throws -> ChangedPaths {
        try GitRepository.open(containing: fixture.url).changedPaths(since: since)
    }

    @Test func cleanTreeHasNoChanges() throws {
        let (fixture, head) = try committedRepository()
        let changes = try changes(fixture)
        #expect(changes.paths.isEmpty)
        #expect(changes.details.isEmpty)
        #expect(changes.base == head)
    }

    @Test func unstagedEdit() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("src/model.py", "print('changed model')\n")
        let changes = try changes(fixture)
        #expect(changes.paths == ["src/model.py"])
        #expect(changes.details == ["src/model.py": "modified"])
    }

    @Test func stagedEdit() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("b.txt", "b, staged\n")
        try fixture.git("add", "b.txt")
        #expect(try changes(fixture).details == ["b.txt": "modified"])
    }

    @Test func stagedEditThenRevertedInTheWorkingTreeIsNotAChange() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("b.txt", "b, staged\n")
        try fixture.git("add", "b.txt")
        try fixture.write("b.txt", "b\n")
        #expect(try changes(fixture).paths.isEmpty)
    }

    @Test func committedEditSinceTheCommitBefore() throws {
        let (fixture, first) = try committedRepository()
        try fixture.commit("second", files: ["b.txt": "b, committed\n"])
        #expect(try changes(fixture).paths.isEmpty)
        let changes = try changes(fixture, since: "HEAD~1")
        #expect(changes.paths == ["b.txt"])
        #expect(changes.base == first)
    }

    @Test func untrackedFilesAreListedOneByOneInsideNewFolders() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("new.py", "x\n")
        try fixture.write("data/raw/train.csv", "a,b\n")
        try fixture.write("data/raw/test.csv", "a,b\n")
        let changes = try changes(fixture)
        #expect(changes.paths == ["new.py", "data/raw/train.csv", "data/raw/test.csv"])
        #expect(changes.details["data/raw/train.csv"] == "untracked")
    }

    @Test func ignoredFilesHaveNoEffect() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("run.log", "noise\n")
        try fixture.write("build/out.bin", "noise\n")
        try fixture.write("src/debug.log", "noise\n")
        #expect(try changes(fixture).paths.isEmpty)
    }

    @Test func stagedRenameCountsBothPaths() throws {
        let (fixture, _) = try committedRepository()
        try FileManager.default.createDirectory(at: fixture.url.appendingPathComponent("moved"), withIntermediateDirectories: true)
        try fixture.git("mv", "a.txt", "moved/a.txt")
        let changes = try changes(fixture)
        #expect(changes.paths == ["a.txt", "moved/a.txt"])
        #expect(changes.details == ["a.txt": "renamed to moved/a.txt", "moved/a.txt": "renamed from a.txt"])
    }

    @Test func committedRenameCountsBothPaths() throws {
        let (fixture, _) = try committedRepository()
        try fixture.git("mv", "a.txt", "c.txt")
        try fixture.commit("rename")
        let changes = try changes(fixture, since: "HEAD~1")
        #expect(changes.paths == ["a.txt", "c.txt"])
        #expect(changes.details["c.txt"] == "renamed from a.txt")
    }

    @Test func unstagedMoveReadsAsARename() throws {
        let (fixture, _) = try committedRepository()
        try FileManager.default.moveItem(
            at: fixture.url.appendingPathComponent("a.txt"),
            to: fixture.url.appendingPathComponent("z.txt"))
        let changes = try changes(fixture)
        #expect(changes.paths == ["a.txt", "z.txt"])
        #expect(changes.details == ["a.txt": "renamed to z.txt", "z.txt": "renamed from a.txt"])
    }

    @Test func deletionCountsTheOldPath() throws {
        let (fixture, _) = try committedRepository()
        try fixture.remove("b.txt")
        try fixture.git("rm", "-q", "src/model.py")
        let changes = try changes(fixture)
        #expect(changes.details == ["b.txt": "deleted", "src/model.py": "deleted"])
    }

    @Test func replacingAFileWithALinkIsATypechange() throws {
        let (fixture, _) = try committedRepository()
        try fixture.remove("b.txt")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("b.txt").path,
            withDestinationPath: "a.txt")
        #expect(try changes(fixture).details == ["b.txt": "typechange"])
    }

    @Test func divergedBranchComparesAgainstTheMergeBase() throws {
        let (fixture, base) = try committedRepository()
        try fixture.git("checkout", "-q", "-b", "feature")
        try fixture.commit("feature work", files: ["src/feature.py": "f\n"])
        try fixture.git("checkout", "-q", "main")
        try fixture.commit("main moves on", files: ["src/main_only.py": "m\n", "b.txt": "b from main\n"])
        try fixture.git("checkout", "-q", "feature")
        try fixture.write("a.txt", Self.body + "edited on the branch\n")

        let changes = try changes(fixture, since: "main")
        #expect(changes.base == base)
        #expect(changes.paths == ["src/feature.py", "a.txt"])
    }

    @Test func submodulePointerChangeCountsTheSubmodulePath() throws {
        let (fixture, _) = try committedRepository()
        let upstream = fixture.root.appendingPathComponent("upstream")
        try FileManager.default.createDirectory(at: upstream, withIntermediateDirectories: true)
        try fixture.git("init", "-q", "-b", "main", in: upstream)
        try fixture.git("commit", "-q", "--allow-empty", "-m", "upstream", in: upstream)
        try fixture.git("submodule", "add", "-q", upstream.path, "vendor/lib")
        try fixture.commit("add submodule")
        #expect(try changes(fixture).paths.isEmpty)

        let submodule = fixture.url.appendingPathComponent("vendor/lib")
        try fixture.git("commit", "-q", "--allow-empty", "-m", "move the pointer", in: submodule)
        #expect(try changes(fixture).details == ["vendor/lib": "submodule changed"])

        try fixture.commit("record the new pointer")
        #expect(try changes(fixture).paths.isEmpty)
        #expect(try changes(fixture, since: "HEAD~1").details == ["vendor/lib": "submodule changed"])
    }

    @Test func openedFromASubfolderPathsStayRelativeToTheRoot() throws {
        let (fixture, _) = try committedRepository()
        try fixture.write("src/model.py", "print('changed')\n")
        let repository = try GitRepository.open(containing: fixture.url.appendingPathComponent("src"))
        #expect(try repository.changedPaths(since: nil).paths == ["src/model.py"])
    }

    @Test func unbornHeadComparesAgainstTheEmptyTree() throws {
        let fixture = try TemporaryRepository()
        try fixture.write("staged.py", "s\n")
        try fixture.git("add", "staged.py")
        try fixture.write("loose/untracked.py", "u\n")
        let changes = try changes(fixture)
        #expect(changes.base == nil)
        #expect(changes.details == ["staged.py": "added", "loose/untracked.py": "untracked"])
    }

    @Test func unbornHeadHasNoMergeBase() throws {
        let fixture = try TemporaryRepository()
        try fixture.write("a.py", "a\n")
        let error = try #require(throws: GitError.self) { try changes(fixture, since: "HEAD") }
        #expect(error.kind == .unknownRevision("HEAD"))
    }

    @Test func unknownSinceRevisionIsTyped() throws {
        let (fixture, _) = try committedRepository()
        let error = try #require(throws: GitError.self) { try changes(fixture, since: "origin/nope") }
        #expect(error.kind == .unknownRevision("origin/nope"))
    }
}
