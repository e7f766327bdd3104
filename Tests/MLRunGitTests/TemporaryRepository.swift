import Foundation
import MLRunOracles

/// A throwaway folder holding a git repository built with the `git` program (test setup only:
/// the code under test reads it through libgit2). Removed when the value goes away.
final class TemporaryRepository {
    /// The folder holding everything this value created (the repository and any neighbours).
    let root: URL
    /// The repository's working tree, `root/repo`.
    let url: URL

    /// Creates `root/repo` and runs `git init -b main` there unless `initialise` is false.
    init(initialise: Bool = true) throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true).resolvingSymlinksInPath()
        root = base.appendingPathComponent("mlrun-git-\(UUID().uuidString)", isDirectory: true)
        url = root.appendingPathComponent("repo", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if initialise { try git("init", "-q", "-b", "main") }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `text` to `path` (relative to the working tree), creating folders as needed.
    func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    /// Deletes `path` from the working tree only.
    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(path))
    }

    /// Writes the files, stages everything and commits; returns the new commit's id.
    @discardableResult
    func commit(_ message: String, files: [String: String] = [:]) throws -> String {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) { try write(path, text) }
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Runs `git ARGS` in `folder` (default: the working tree) with a fixed identity and no
    /// user or system config; returns trimmed stdout, throws on a non-zero exit.
    @discardableResult
    func git(_ arguments: String..., in folder: URL? = nil) throws -> String {
        let fixed = [
            "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
            "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
        ]
        var environment = ProcessInfo.processInfo.environment
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES"] { environment[key] = nil }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        let result = try ExternalProgram.runBlocking("git", fixed + arguments, directory: folder ?? url, environment: environment)
        guard result.status == 0 else {
            throw SetupFailure(command: "git " + arguments.joined(separator: " "), output: result.stderr)
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A `git` command in test setup failed.
    struct SetupFailure: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command) failed: \(output)" }
    }
}
