extension Dispatcher {
    /// How many tests each slot may hold (the running one and those reserved behind it):
    /// adaptive, so that ids are written ahead only while tests are fast.
    ///
    /// A slot starts at 1 (one test at a time, as without lookahead) and doubles after each
    /// test that took under `fast` seconds, up to the lane's depth; a slower test, or a lost
    /// process, brings it back to 1. Reserving behind a slow test would gain nothing (the
    /// round trip is microseconds) and keep tests from idle slots. The schedule also caps a
    /// reservation at a fair share of what is left (`Schedule.reserve`).
    struct Window {
        /// Tests shorter than this (seconds) grow the window.
        static let fast = 0.05
        /// The largest window, whatever the lane allows.
        static let largest = 1 << 12
        private var sizes: [Int]

        init(slots: Int) {
            sizes = Array(repeating: 1, count: max(1, slots))
        }

        /// The tests slot `slot` may hold, the running one included.
        func size(_ slot: Int) -> Int {
            slot < sizes.count ? sizes[slot] : 1
        }

        /// Grows or resets the window of `slot` after one of its tests ended.
        mutating func record(slot: Int, duration: Double, processLost: Bool) {
            guard slot < sizes.count else { return }
            sizes[slot] = duration < Window.fast && !processLost ? min(sizes[slot] * 2, Window.largest) : 1
        }
    }
}
