import Foundation

/// Running CPU-bound work off Swift's cooperative thread pool.
package enum DedicatedThread {
    /// Runs `body` on a new thread of its own (8 MB stack) and returns its result.
    ///
    /// For a suite whose test reads and crunches a large file for seconds: on the cooperative
    /// pool that would hold one of its few threads (as many as cores) and stall the runner's
    /// timers and reporters meanwhile.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
