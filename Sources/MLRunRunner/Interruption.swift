import Synchronization

/// The run's interrupt switch: flipped once by SIGINT/SIGTERM (or a test), observed by the
/// runner and by whatever a test is waiting on.
package final class Interruption: Sendable {
    private struct State {
        var signal: String?
        var handlers: [Int: @Sendable () -> Void] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// The name of the signal that interrupted the run (`SIGINT`, `SIGTERM`), or nil.
    package var signal: String? { state.withLock { $0.signal } }

    package var isInterrupted: Bool { signal != nil }

    /// Interrupts the run; the first call wins. Handlers are called outside the lock.
    package func trigger(_ signal: String) {
        let handlers: [@Sendable () -> Void] = state.withLock { state in
            guard state.signal == nil else { return [] }
            state.signal = signal
            return Array(state.handlers.values)
        }
        for handler in handlers { handler() }
    }

    /// Registers `handler` to be called on interrupt (at once if already interrupted);
    /// returns a token for `remove`.
    package func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> Int {
        let (token, already) = state.withLock { state -> (Int, Bool) in
            state.nextToken += 1
            if state.signal != nil { return (state.nextToken, true) }
            state.handlers[state.nextToken] = handler
            return (state.nextToken, false)
        }
        if already { handler() }
        return token
    }

    package func remove(_ token: Int) {
        _ = state.withLock { $0.handlers.removeValue(forKey: token) }
    }
}
