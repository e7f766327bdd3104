import Synchronization

/// Resumes a continuation exactly once, from whichever racer gets there first, then runs
/// the cleanup registered with `onResolve`. A racer may win before the continuation is
/// armed; the continuation then resumes as soon as it is.
final class Gate<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        /// The winning value, while no continuation is armed to take it.
        var value: Value?
        var cleanup: (@Sendable () -> Void)?
        var resolved = false
    }

    private let state = Mutex(State())

    init() {}

    /// Hands over the continuation to resume; resumes it at once if a racer already won.
    func arm(_ continuation: CheckedContinuation<Value, Never>) {
        let won: Value? = state.withLock { state in
            guard let value = state.value else {
                state.continuation = continuation
                return nil
            }
            state.value = nil
            return value
        }
        if let won { continuation.resume(returning: won) }
    }

    /// Resumes with `value` if nobody has yet; returns whether this call won.
    @discardableResult
    func resume(_ value: Value) -> Bool {
        let won: (CheckedContinuation<Value, Never>?, (@Sendable () -> Void)?)? = state.withLock { state in
            guard !state.resolved else { return nil }
            state.resolved = true
            let continuation = state.continuation
            if continuation == nil { state.value = value }
            state.continuation = nil
            let cleanup = state.cleanup
            state.cleanup = nil
            return (continuation, cleanup)
        }
        guard let (continuation, cleanup) = won else { return false }
        cleanup?()
        continuation?.resume(returning: value)
        return true
    }

    /// Runs `cleanup` once the gate resolves (at once if it already has).
    func onResolve(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.resolved { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }
}
