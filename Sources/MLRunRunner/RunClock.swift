/// The runner's sense of time: what time it is, and waiting until a later time.
///
/// ## Contract
/// - `now` is seconds since an origin the clock picks; it never goes backwards. Only
///   differences between two readings of one clock mean anything.
/// - `sleep(until:)` returns once `now` has reached `deadline` (at once if it already
///   has). Cancelling the sleeping task ends the sleep early by throwing
///   `CancellationError`.
/// - Any task may read or sleep on a clock at any time; implementations are thread-safe.
///
/// The runner measures the run's duration and holds in-process tests to their time limits
/// with it, so a fake clock (advanced by the test code) makes both deterministic.
package protocol RunClock: Sendable {
    /// Seconds since the clock's origin.
    var now: Double { get }
    /// Waits until `now` reaches `deadline`; throws `CancellationError` if cancelled first.
    func sleep(until deadline: Double) async throws
}

extension RunClock {
    /// Waits `seconds` from now; throws `CancellationError` if cancelled first.
    package func sleep(for seconds: Double) async throws {
        try await sleep(until: now + seconds)
    }
}
