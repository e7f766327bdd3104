import Foundation
import MLRunGit
import Testing

/// Times `changedPaths(since: nil)` against `git status --porcelain` + `git diff --name-only` on a
/// generated repository of 20,000 files with 200 changes. Opt-in, it takes a minute:
/// `MLRUN_GIT_BENCH=1 swift test --filter ChangedPathsBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MLRUN_GIT_BENCH"] != nil))
struct ChangedPathsBenchmark {
    @Test func twentyThousandFilesTwoHundredChanges() throws {
        let fixture = try TemporaryRepository()
        let files = 20_000, perFolder = 100
        for number in 0..<files {
            try fixture.write(Self.path(number, perFolder: perFolder), Self.content(number))
        }
        try fixture.commit("generated")
        // 200 changes: 67 modified, 67 untracked (in new folders), 66 renamed (half staged with `git mv`).
        for step in 0..<67 {
            let number = step * 100
            try fixture.write(Self.path(number, perFolder: perFolder), Self.content(number) + "edited\n")
        }
        for number in 0..<67 { try fixture.write("new/\(number % 5)/untracked_\(number).py", "x = \(number)\n") }
        try FileManager.default.createDirectory(at: fixture.url.appendingPathComponent("renamed"), withIntermediateDirectories: true)
        for step in 0..<66 {
            let number = step * 100 + 50
            let old = Self.path(number, perFolder: perFolder), new = "renamed/moved_\(number).py"
            if step.isMultiple(of: 2) {
                try fixture.git("mv", old, new)
            } else {
                try FileManager.default.moveItem(at: fixture.url.appendingPathComponent(old), to: fixture.url.appendingPathComponent(new))
            }
        }

        let clock = ContinuousClock()
        var count = 0
        let firstLibgit2 = try clock.measure {
            count = try GitRepository.open(containing: fixture.url).changedPaths(since: nil).paths.count
        }
        let libgit2 = try (0..<7).map { _ in
            try clock.measure { _ = try GitRepository.open(containing: fixture.url).changedPaths(since: nil) }
        }
        let gitCommands = try (0..<7).map { _ in
            try clock.measure {
                try fixture.git("status", "--porcelain")
                try fixture.git("diff", "--name-only")
            }
        }
        let libgit2AfterGitStatus = try (0..<7).map { _ in
            try clock.measure { _ = try GitRepository.open(containing: fixture.url).changedPaths(since: nil) }
        }
        func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
        print(
            """
            changedPaths: \(count) paths; first run \(firstLibgit2); median of 7: \(median(libgit2)) \
            (\(median(libgit2AfterGitStatus)) after git refreshed the index); \
            git status --porcelain + git diff --name-only: median of 7: \(median(gitCommands))
            """)
        #expect(count == 67 + 67 + 2 * 66)
        #expect(median(libgit2AfterGitStatus) <= median(gitCommands))
    }

    static func path(_ number: Int, perFolder: Int) -> String {
        "pkg\(number / perFolder / 20)/mod\(number / perFolder)/file_\(number).py"
    }

    static func content(_ number: Int) -> String {
        (0..<8).map { "def f\($0)_\(number)(x):\n    return x * \($0 + number)\n" }.joined()
    }
}
