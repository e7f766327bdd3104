/// What the dispatcher decides by: how many slots, which tests may share them, how often a
/// failing test is retried, and when the run gives up on the rest.
package struct DispatchPolicy: Sendable {
    /// Tests that can run at once: the `-n` workers, or 1 in-process.
    package var slots: Int
    /// Test groups: group name → most tests of the group running at once. A test joins a
    /// group through a marker of the group's name.
    package var groups: [String: Int]
    /// `--dist`: `suite` keeps each suite's tests on one slot.
    package var distribution: WorkerPool.Distribution
    /// `--reruns`: how many more times a failing test is tried.
    package var reruns: Int
    /// Stop starting tests after this many failures (`--maxfail`, `-x`).
    package var maxFail: Int?
    /// Whether `maxFail` came from `-x` (for the message).
    package var exitFirst: Bool
    /// `--max-worker-restart`: lost processes replaced before the rest is given up as
    /// `error`; nil in-process, where no process is lost.
    package var maxRestarts: Int?

    package init(
        slots: Int = 1, groups: [String: Int] = [:], distribution: WorkerPool.Distribution = .load, reruns: Int = 0,
        maxFail: Int? = nil, exitFirst: Bool = false, maxRestarts: Int? = nil
    ) {
        self.slots = slots
        self.groups = groups
        self.distribution = distribution
        self.reruns = reruns
        self.maxFail = maxFail
        self.exitFirst = exitFirst
        self.maxRestarts = maxRestarts
    }

    /// The policy of a run with `options`: its pool's slots, groups, distribution and
    /// restart budget (one slot and no groups in-process).
    package init(_ options: RunOptions) {
        self.init(
            slots: options.pool?.workers ?? 1, groups: options.pool?.groups ?? [:],
            distribution: options.pool?.distribution ?? .load, reruns: options.reruns, maxFail: options.maxFail,
            exitFirst: options.exitFirst, maxRestarts: options.pool?.maxRestarts)
    }
}
