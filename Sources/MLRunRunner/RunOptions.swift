import Foundation

/// How to run a plan.
package struct RunOptions: Sendable {
    /// The run's seed; each test's seed derives from it (`Seeds.testSeed`).
    package var runSeed: UInt64
    /// Stop after this many failed tests (`-x` is 1); the rest are `skipped` with the reason.
    package var maxFail: Int?
    /// Whether the stop came from `-x` (for the message).
    package var exitFirst: Bool
    /// The per-test limit for tests without one of their own (`--timeout`, else `[runner] timeout`).
    package var timeout: Double?
    /// Where tests' temporary folders are made; removed after the run.
    package var scratchRoot: URL
    /// The config file's folder: tests run with it as their base for relative paths.
    package var configDirectory: URL
    /// Run a failing test up to this many more times (`--reruns`); passing on a retry is
    /// `passed`, flagged flaky.
    package var reruns: Int
    /// Worker processes (`-n`); nil runs everything in this process, one test at a time.
    package var pool: WorkerPool?

    package init(
        runSeed: UInt64, maxFail: Int? = nil, exitFirst: Bool = false, timeout: Double? = nil,
        scratchRoot: URL, configDirectory: URL, reruns: Int = 0, pool: WorkerPool? = nil
    ) {
        self.runSeed = runSeed
        self.maxFail = maxFail
        self.exitFirst = exitFirst
        self.timeout = timeout
        self.scratchRoot = scratchRoot
        self.configDirectory = configDirectory
        self.reruns = reruns
        self.pool = pool
    }
}
