import Foundation

/// The test durations `--store-durations` keeps for `--shard-by duration`:
/// `<config folder>/.mlrun/durations.json`, shaped
/// `{"version": 1, "durations": {"suite::name": seconds, …}}` with ids sorted.
///
/// Writers merge rather than replace, so a sharded or filtered run updates only the tests it
/// ran. Two processes merging at the same moment do not corrupt the file (each write is
/// atomic), but one's update may be lost; the next run stores it again.
package enum DurationStore {
    /// The file's name inside `.mlrun/`.
    package static let fileName = "durations.json"

    /// `<folder>/.mlrun/durations.json`.
    package static func url(in folder: URL) -> URL { StoreFile.url(fileName, in: folder) }

    /// The stored seconds by test id; empty when there is no file yet.
    ///
    /// - Parameter folder: the config file's folder.
    /// - Throws: `StoreError` naming the file when it cannot be read, is not JSON, has another
    ///   version, or holds something other than non-negative numbers under `durations`.
    package static func load(from folder: URL) throws(StoreError) -> [String: Double] {
        let url = url(in: folder)
        guard let json = try StoreFile.read(url) else { return [:] }
        guard case .object(let members)? = json["durations"] else {
            throw StoreError(file: url.path, problem: "expected a \"durations\" object mapping test ids to seconds")
        }
        var durations: [String: Double] = [:]
        for (id, value) in members {
            guard let seconds = value.numberValue, seconds.isFinite, seconds >= 0 else {
                throw StoreError(file: url.path, problem: "the duration of '\(id)' must be a non-negative number of seconds, found \(value.jsonText)")
            }
            durations[id] = seconds
        }
        return durations
    }

    /// Stores `new` over what the file holds: the given ids get their new seconds, the others
    /// keep theirs. Negative and non-finite values are left out.
    ///
    /// - Parameter folder: the config file's folder; `.mlrun/` is created when missing.
    /// - Throws: `StoreError` when the existing file is unreadable (it is then left as it is)
    ///   or the new one cannot be written.
    package static func merge(_ new: [String: Double], into folder: URL) throws(StoreError) {
        var durations = try load(from: folder)
        for (id, seconds) in new where seconds.isFinite && seconds >= 0 { durations[id] = seconds }
        // Microseconds are plenty and keep the file readable.
        let members: [(String, JSONValue)] =
            durations
            .map { (id: $0.key, seconds: ($0.value * 1e6).rounded() / 1e6) }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            .map { ($0.id, .double($0.seconds)) }
        try StoreFile.write(.object([("version", 1), ("durations", .object(members))]), to: url(in: folder))
    }
}
