import MLRunCore

/// The real clock: `ContinuousClock` (monotonic, counts time asleep), read as seconds since
/// the clock was made.
package struct SystemClock: RunClock {
    private let origin: ContinuousClock.Instant

    package init() {
        origin = ContinuousClock.now
    }

    package var now: Double { (ContinuousClock.now - origin).seconds }

    package func sleep(until deadline: Double) async throws {
        try await Task.sleep(until: origin.advanced(by: .seconds(deadline)), clock: .continuous)
    }
}
