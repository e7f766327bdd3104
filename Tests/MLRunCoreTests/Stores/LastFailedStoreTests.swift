import Foundation
import MLRunCore
import Testing

@Suite struct LastFailedStoreTests {
    @Test func noFileMeansNothingFailed() throws {
        let folder = try TemporaryFolder()
        #expect(try LastFailedStore.load(from: folder.url).isEmpty)
    }

    @Test func updateAddsFailuresRemovesPassesAndKeepsTheRest() throws {
        let folder = try TemporaryFolder()
        try LastFailedStore.update(failed: ["s::b", "s::a"], passed: ["s::c"], in: folder.url)
        #expect(
            try folder.readState("lastfailed.json") == """
                {
                  "version": 1,
                  "failed": [
                    "s::a",
                    "s::b"
                  ]
                }

                """)
        // s::a passes now, s::d fails, s::b did not run; an id in both sets counts as passed.
        try LastFailedStore.update(failed: ["s::d", "s::e"], passed: ["s::a", "s::e"], in: folder.url)
        #expect(try LastFailedStore.load(from: folder.url) == ["s::b", "s::d"])
        #expect(try folder.stateFiles() == ["lastfailed.json"])
    }

    @Test func anEmptyListIsWrittenToo() throws {
        let folder = try TemporaryFolder()
        try LastFailedStore.update(failed: [], passed: ["s::a"], in: folder.url)
        #expect(try folder.readState("lastfailed.json") == "{\n  \"version\": 1,\n  \"failed\": []\n}\n")
    }

    @Test(arguments: [
        ("nope", "not valid JSON"),
        (#"{"version": 1}"#, "expected a \"failed\" array"),
        (#"{"version": 1, "failed": "s::a"}"#, "expected a \"failed\" array"),
        (#"{"version": 1, "failed": ["s::a", 3]}"#, "expected test ids (strings) in \"failed\", found 3"),
        (#"{"version": "1", "failed": []}"#, "unsupported \"version\" \"1\""),
    ])
    func malformedFilesAreErrorsNamingTheFile(text: String, problem: String) throws {
        let folder = try TemporaryFolder()
        try folder.writeState("lastfailed.json", text)
        let file = LastFailedStore.url(in: folder.url).path
        #expect {
            try LastFailedStore.load(from: folder.url)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.file == file && error.problem.hasPrefix(problem)
        }
        #expect(throws: StoreError.self) { try LastFailedStore.update(failed: ["s::x"], passed: [], in: folder.url) }
        #expect(try folder.readState("lastfailed.json") == text)
    }
}
