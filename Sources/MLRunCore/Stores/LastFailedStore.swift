import Foundation

/// The tests that failed when they last ran, for `--lf`:
/// `<config folder>/.mlrun/lastfailed.json`, shaped `{"version": 1, "failed": ["suite::name", …]}`
/// with ids sorted.
///
/// "Failed" means any failing outcome: `failed`, `error`, `crashed` or `timeout`. A run
/// updates only the tests it ran, so after a filtered or sharded run the others keep their
/// standing.
package enum LastFailedStore {
    /// The file's name inside `.mlrun/`.
    package static let fileName = "lastfailed.json"

    /// `<folder>/.mlrun/lastfailed.json`.
    package static func url(in folder: URL) -> URL { StoreFile.url(fileName, in: folder) }

    /// The ids that failed last time they ran; empty when there is no file yet.
    ///
    /// - Parameter folder: the config file's folder.
    /// - Throws: `StoreError` naming the file when it cannot be read, is not JSON, has another
    ///   version, or `failed` is not an array of strings.
    package static func load(from folder: URL) throws(StoreError) -> Set<String> {
        let url = url(in: folder)
        guard let json = try StoreFile.read(url) else { return [] }
        guard case .array(let elements)? = json["failed"] else {
            throw StoreError(file: url.path, problem: "expected a \"failed\" array of test ids")
        }
        var failed = Set<String>()
        for element in elements {
            guard let id = element.stringValue else {
                throw StoreError(file: url.path, problem: "expected test ids (strings) in \"failed\", found \(element.jsonText)")
            }
            failed.insert(id)
        }
        return failed
    }

    /// Records a run: adds `failed`, then removes `passed` (so an id in both counts as
    /// passed), and keeps every other id as it was. Writes only when something changed.
    ///
    /// - Parameters:
    ///   - failed: ids whose outcome was a failure this run.
    ///   - passed: ids that ran and did not fail: passed, or skipped by the test itself (a
    ///     skipped test is no longer known to fail, as in pytest). Ids that did not run —
    ///     deselected, or skipped as "not run" after an interrupt or `--maxfail` — belong in
    ///     neither set.
    ///   - folder: the config file's folder; `.mlrun/` is created when missing.
    /// - Throws: `StoreError` when the existing file is unreadable (it is then left as it is)
    ///   or the new one cannot be written.
    package static func update(failed: Set<String>, passed: Set<String>, in folder: URL) throws(StoreError) {
        let url = url(in: folder)
        let existing = try load(from: folder)
        let updated = existing.union(failed).subtracting(passed)
        if updated == existing, FileManager.default.fileExists(atPath: url.path) { return }
        let ids = StoreFile.sortedByBytes(updated).map { JSONValue.string($0) }
        try StoreFile.write(.object([("version", 1), ("failed", .array(ids))]), to: url)
    }
}
