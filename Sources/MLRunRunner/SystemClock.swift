import MLRunCore

/// The real clock: `ContinuousClock` (monotonic, counts time asleep), read as seconds since
/// the clock was made.
package struct SystemClock: RunClock {
    private let origin: ContinuousClock.Instant

    package init() {
        origin = ContinuousClock.now
    }

    package var now: Double { (ContinuousClock.now - origin).seconds }

    /// Sleeps until `deadline`; an infinite one (a limit of `inf`) lasts until cancelled.
    package func sleep(until deadline: Double) async throws {
        guard deadline.isFinite else {
            while true { try await Task.sleep(for: .seconds(86_400)) }
        }
        try await Task.sleep(until: origin.advanced(by: .seconds(deadline)), clock: .continuous)
    }
}
