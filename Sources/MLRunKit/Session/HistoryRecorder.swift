import Foundation
import MLRunCore

/// Remembers what ran, to update `.mlrun/lastfailed.json` (always, as pytest's cache does)
/// and `.mlrun/durations.json` (with `--store-durations`) after the run.
final class HistoryRecorder: Reporter {
    private var failed = Set<String>()
    private var passed = Set<String>()
    private var durations: [String: Double] = [:]

    func handle(_ event: RunEvent) {
        guard case .testFinished(let result) = event, result.id.name != "(discovery)" else { return }
        let id = result.id.description
        if result.outcome.isFailure {
            failed.insert(id)
        } else if result.outcome == .passed || (result.outcome == .skipped && result.attempts > 0) {
            passed.insert(id)
        }
        // Only tests that really ran have a duration worth keeping.
        if result.attempts > 0, result.outcome != .skipped || result.duration > 0 {
            durations[id] = result.duration
        }
    }

    func store(in folder: URL, durations storeDurations: Bool) throws(StoreError) {
        try LastFailedStore.update(failed: failed, passed: passed, in: folder)
        if storeDurations { try DurationStore.merge(durations, into: folder) }
    }
}
