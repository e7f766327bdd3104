import Foundation
import MLRunCore
import Testing

@Suite struct DurationStoreTests {
    @Test func noFileMeansNoDurations() throws {
        let folder = try TemporaryFolder()
        #expect(try DurationStore.load(from: folder.url).isEmpty)
    }

    @Test func mergeWritesSortedVersionedJSONAtomically() throws {
        let folder = try TemporaryFolder()
        try DurationStore.merge(["s::b": 0.5, "s::a": 1.25, "r::z": 2], into: folder.url)
        #expect(
            try folder.readState("durations.json") == """
                {
                  "version": 1,
                  "durations": {
                    "r::z": 2.0,
                    "s::a": 1.25,
                    "s::b": 0.5
                  }
                }

                """)
        #expect(try folder.stateFiles() == ["durations.json"])
        #expect(try DurationStore.load(from: folder.url) == ["s::b": 0.5, "s::a": 1.25, "r::z": 2])
    }

    @Test func mergeOverwritesTheGivenIdsAndKeepsTheRest() throws {
        let folder = try TemporaryFolder()
        try DurationStore.merge(["s::a": 1, "s::b": 2], into: folder.url)
        try DurationStore.merge(["s::b": 3, "s::c": 4, "s::bad": .nan, "s::negative": -1], into: folder.url)
        #expect(try DurationStore.load(from: folder.url) == ["s::a": 1, "s::b": 3, "s::c": 4])
        #expect(try folder.stateFiles() == ["durations.json"])
    }

    @Test(arguments: [
        ("{", "not valid JSON"),
        ("[]", "expected a JSON object, found array"),
        (#"{"durations": {}}"#, "unsupported \"version\" none"),
        (#"{"version": 2, "durations": {}}"#, "unsupported \"version\" 2"),
        (#"{"version": 1}"#, "expected a \"durations\" object"),
        (#"{"version": 1, "durations": []}"#, "expected a \"durations\" object"),
        (#"{"version": 1, "durations": {"s::a": "1"}}"#, "the duration of 's::a' must be a non-negative number of seconds, found \"1\""),
        (#"{"version": 1, "durations": {"s::a": -1}}"#, "the duration of 's::a' must be a non-negative number of seconds, found -1"),
    ])
    func malformedFilesAreErrorsNamingTheFile(text: String, problem: String) throws {
        let folder = try TemporaryFolder()
        try folder.writeState("durations.json", text)
        let file = DurationStore.url(in: folder.url).path
        #expect {
            try DurationStore.load(from: folder.url)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.file == file && error.problem.hasPrefix(problem) && error.description.hasPrefix("\(file): ")
        }
        // A merge never overwrites a file it cannot read.
        #expect(throws: StoreError.self) { try DurationStore.merge(["s::a": 1], into: folder.url) }
        #expect(try folder.readState("durations.json") == text)
    }

    @Test func writingWhereNoFolderCanBeMadeIsAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder()
        // A file where `.mlrun/` should be.
        try Data().write(to: folder.url.appendingPathComponent(".mlrun"))
        #expect {
            try DurationStore.merge(["s::a": 1], into: folder.url)
        } throws: { error in
            (error as? StoreError)?.file == DurationStore.url(in: folder.url).path
        }
    }
}
