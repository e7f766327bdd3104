import Foundation
import MLRunCore
import MLRunGit

extension Session {
    /// `--changed` / `--changed-since`: the changed files, read through libgit2 (never the
    /// `git` program), relative to the config's folder.
    static func changeSelection(configFile: URL, changes request: RunConfiguration.Changes) -> Result<ChangeSelection, UsageError> {
        let since = request.revision
        let folder = configFile.deletingLastPathComponent()
        let changes: ChangedPaths
        let repository: GitRepository
        do {
            repository = try GitRepository.open(containing: folder)
            changes = try repository.changedPaths(since: since)
        } catch {
            return .failure(UsageError((since.map { "--changed-since \($0): " } ?? "--changed: ") + error.description))
        }
        // Paths from git are relative to the working tree; globs to the config's folder.
        let root = repository.workdir.standardizedFileURL.resolvingSymlinksInPath().path
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = base == root ? "" : String(base.dropFirst(root.count).drop(while: { $0 == "/" })) + "/"
        var changed = Set<String>()
        var details: [String: String] = [:]
        for path in changes.paths where prefix.isEmpty || path.hasPrefix(prefix) {
            let relative = String(path.dropFirst(prefix.count))
            changed.insert(relative)
            if let detail = changes.details[path] { details[relative] = detail }
        }
        let configPath = String(configFile.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(root.count).drop(while: { $0 == "/" }))
        let source =
            since.map { "--changed-since \($0)" + (changes.base.map { " (merge base \($0.prefix(12)))" } ?? "") }
            ?? "--changed (HEAD vs working tree)"
        return .success(ChangeSelection(changed: changed, details: details, configChanged: changes.paths.contains(configPath), source: source))
    }
}
