import Foundation
import MLRunGit
import Testing

@Suite struct GitRepositoryTests {
    @Test func opensFromTheWorkingTreeAndFromASubfolder() throws {
        let fixture = try TemporaryRepository()
        try fixture.commit("first", files: ["src/deep/a.py": "a\n"])
        let fromRoot = try GitRepository.open(containing: fixture.url)
        let fromSubfolder = try GitRepository.open(containing: fixture.url.appendingPathComponent("src/deep"))
        #expect(fromRoot.workdir.path == fixture.url.path)
        #expect(fromSubfolder.workdir.path == fixture.url.path)
        #expect(!fromSubfolder.workdir.path.hasSuffix("/"))
    }

    @Test func opensALinkedWorktreeAsItsOwnWorkingTree() throws {
        let fixture = try TemporaryRepository()
        try fixture.commit("first", files: ["a.txt": "a\n", "b.txt": "b\n"])
        let worktree = fixture.root.appendingPathComponent("wt")
        try fixture.git("worktree", "add", "-q", "-b", "side", worktree.path)
        try fixture.write("a.txt", "changed in the main working tree\n")
        try Data("changed in the linked worktree\n".utf8).write(to: worktree.appendingPathComponent("b.txt"))

        let repository = try GitRepository.open(containing: worktree)
        #expect(repository.workdir.path == worktree.path)
        let changes = try repository.changedPaths(since: nil)
        #expect(changes.paths == ["b.txt"])
        #expect(changes.base == (try fixture.git("rev-parse", "side")))
    }

    @Test func notARepositoryNamesTheFolderAndLibgit2sReason() throws {
        let fixture = try TemporaryRepository(initialise: false)
        #expect {
            try GitRepository.open(containing: fixture.url)
        } throws: { error in
            guard let error = error as? GitError else { return false }
            return error.kind == .notARepository(path: fixture.url.path)
                && error.description == "not a git repository: \(fixture.url.path) (libgit2: \(error.message))"
                && error.message.contains("could not find repository")
        }
    }

    @Test func aMissingFolderIsNotARepository() throws {
        let fixture = try TemporaryRepository(initialise: false)
        let missing = fixture.url.appendingPathComponent("does-not-exist")
        let error = try #require(throws: GitError.self) { try GitRepository.open(containing: missing) }
        #expect(error.kind == .notARepository(path: missing.path))
    }

    @Test func aBareRepositoryHasNoWorkingTree() throws {
        let fixture = try TemporaryRepository(initialise: false)
        try fixture.git("init", "-q", "--bare")
        let error = try #require(throws: GitError.self) { try GitRepository.open(containing: fixture.url) }
        #expect(error.kind == .other)
        #expect(error.description == "cannot open the repository containing \(fixture.url.path) (libgit2: a bare repository has no working tree)")
    }

    @Test(arguments: ["HEAD~1", "main", "origin/main", "v1", "v1-light", "SHORT", "HEAD^{commit}"])
    func resolvesRevisionsToCommitIDs(revision: String) throws {
        let fixture = try TemporaryRepository()
        let first = try fixture.commit("first", files: ["a.txt": "a\n"])
        let second = try fixture.commit("second", files: ["a.txt": "a2\n"])
        try fixture.git("tag", "-a", "v1", "-m", "annotated", first)
        try fixture.git("tag", "v1-light", first)
        try fixture.git("update-ref", "refs/remotes/origin/main", first)
        let repository = try GitRepository.open(containing: fixture.url)
        let expected = ["main": second, "HEAD^{commit}": second][revision] ?? first
        let spelled = revision == "SHORT" ? String(first.prefix(7)) : revision
        #expect(try repository.resolve(spelled) == expected)
    }

    @Test(arguments: ["nope", "HEAD~5", "", "HEAD^{tree}"])
    func unknownRevisionsAreTypedWithLibgit2sMessage(revision: String) throws {
        let fixture = try TemporaryRepository()
        try fixture.commit("first", files: ["a.txt": "a\n"])
        let repository = try GitRepository.open(containing: fixture.url)
        let error = try #require(throws: GitError.self) { try repository.resolve(revision) }
        #expect(error.kind == .unknownRevision(revision))
        #expect(!error.message.isEmpty)
        #expect(error.description == "unknown revision '\(revision)' (libgit2: \(error.message))")
    }

    @Test func unknownRevisionDescriptionQuotesLibgit2() throws {
        let fixture = try TemporaryRepository()
        try fixture.commit("first", files: ["a.txt": "a\n"])
        let repository = try GitRepository.open(containing: fixture.url)
        let error = try #require(throws: GitError.self) { try repository.changedPaths(since: "nope") }
        #expect(error.description == "unknown revision 'nope' (libgit2: revspec 'nope' not found)")
    }

    @Test func mergeBaseOfDivergedBranches() throws {
        let fixture = try TemporaryRepository()
        let base = try fixture.commit("base", files: ["a.txt": "a\n"])
        try fixture.git("checkout", "-q", "-b", "feature")
        try fixture.commit("feature work", files: ["f.txt": "f\n"])
        try fixture.git("checkout", "-q", "main")
        try fixture.commit("main moves on", files: ["m.txt": "m\n"])
        let repository = try GitRepository.open(containing: fixture.url)
        #expect(try repository.mergeBase("main", "feature") == base)
        #expect(try repository.mergeBase("feature", "main") == base)
        #expect(try repository.mergeBase("main", "main~1") == base)
    }

    @Test func unrelatedHistoriesHaveNoMergeBase() throws {
        let fixture = try TemporaryRepository()
        try fixture.commit("first", files: ["a.txt": "a\n"])
        try fixture.git("checkout", "-q", "--orphan", "other")
        try fixture.commit("unrelated", files: ["b.txt": "b\n"])
        let repository = try GitRepository.open(containing: fixture.url)
        let error = try #require(throws: GitError.self) { try repository.mergeBase("main", "other") }
        #expect(error.kind == .other)
        #expect(error.description.hasPrefix("cannot find a merge base of 'main' and 'other' (libgit2: "))
    }

    @Test func otherErrorsNameTheOperation() {
        let error = GitError(.other, message: "index is locked", operation: "diff HEAD against the working tree")
        #expect(error.description == "cannot diff HEAD against the working tree (libgit2: index is locked)")
    }
}
