import Testing

@testable import MLRunGit

@Suite struct ChangedPathsTests {
    @Test func recordingAPathTwiceJoinsDistinctDetails() {
        var changes = ChangedPaths(base: nil)
        changes.record("a.py", "deleted")
        changes.record("a.py", "untracked")
        changes.record("a.py", "deleted")
        changes.record("b.py", "modified")
        #expect(changes.paths == ["a.py", "b.py"])
        #expect(changes.details == ["a.py": "deleted; untracked", "b.py": "modified"])
    }
}
