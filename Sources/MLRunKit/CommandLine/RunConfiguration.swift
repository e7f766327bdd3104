import Foundation
import MLRunCore
import MLRunReporters
import MLRunRunner

/// Everything the command line asks for, parsed and checked: made before the config is read
/// and before any suite is collected, so a typo in a flag never starts a discovery program.
///
/// What depends on the config (`[runner] default_selection`, declared markers under
/// `--strict-markers`) is checked by the session right after it loads the config, still
/// before collection.
struct RunConfiguration: Sendable {
    /// A `-m`/`-k` expression with its text, as given.
    struct Expression: Sendable {
        var expression: MatchExpression
        var text: String
    }

    /// `-n`: the worker processes and how they share the work.
    struct Workers: Sendable {
        var count: Int
        var distribution: WorkerPool.Distribution
        var maxRestarts: Int
        /// `--gpus-per-worker`, checked against the visible GPUs.
        var gpusPerWorker: Int?
        /// The CPUs this process may use (thread caps per worker).
        var cpus: Int
        /// The GPUs visible to mlrun (`CUDA_VISIBLE_DEVICES`, else device nodes).
        var gpus: [String]
    }

    /// `--changed` or `--changed-since REV`.
    enum Changes: Sendable, Equatable {
        case workingTree
        case since(String)

        var revision: String? {
            if case .since(let revision) = self { return revision }
            return nil
        }
    }

    /// Where the reports go.
    struct Reports: Sendable {
        var json: String?
        var junitXML: String?
        /// `--events`: a path, or `-` for stdout (the console then goes to stderr).
        var events: String?
    }

    var arguments: [String]
    var ids: [String]
    /// `-c`.
    var configPath: String?
    /// `-m`; nil when absent (the config's default selection applies) or empty (no filter).
    var marker: Expression?
    /// Whether `-m` was given at all (`-m ""` turns the config's default selection off).
    var markerGiven: Bool
    /// `-k`.
    var keyword: Expression?
    var collectOnly: Bool
    var explain: Bool
    var reports: Reports
    var seed: UInt64
    var timeout: Double?
    /// `--maxfail`, or 1 under `-x`.
    var maxFail: Int?
    var exitFirst: Bool
    var durations: Int?
    var strictMarkers: Bool
    var listMarkers: Bool
    var verbosity: ConsoleReporter.Verbosity
    var colour: Bool
    /// `-n`, or nil to run in-process.
    var workers: Workers?
    var streamOutput: Bool
    var reruns: Int
    /// `--lf` (`.only`) or `--ff` (`.first`), without the ids yet (they are read from the store).
    var lastFailed: LastFailedMode?
    var storeDurations: Bool
    /// `--shard`, or the shard a CI's variables name.
    var shard: ShardRequest?
    /// The file Bazel asks a sharding test runner to touch.
    var bazelStatusFile: String?
    var changes: Changes?
    var updateBaselines: Bool

    /// `--lf` or `--ff`.
    enum LastFailedMode: Sendable {
        case only, first
    }
}
