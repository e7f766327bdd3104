import Synchronization

extension PluginVerifier {
    /// Work on a task of its own that the verifier waits for only so long: a plugin that
    /// ignores cancellation or deadlocks must not hang the verifier, so such work is left
    /// running and the verifier goes on.
    final class Pending<Value: Sendable>: Sendable {
        private struct State {
            var value: Value?
            var waiter: CheckedContinuation<Value?, Never>?
            var timer: Task<Void, Never>?
            var work: Task<Void, Never>?
        }

        private let state = Mutex(State())

        private init() {}

        /// Starts `operation` on a task of its own; `cancelled`: on one cancelled before
        /// `operation` starts.
        static func start(cancelled: Bool = false, _ operation: @escaping @Sendable () async -> Value) -> Pending {
            let pending = Pending()
            let work = Task {
                if cancelled { withUnsafeCurrentTask { $0?.cancel() } }
                pending.deliver(await operation())
            }
            pending.state.withLock { $0.work = work }
            return pending
        }

        /// The work's value, or nil when it has not finished within `limit`. May be asked again.
        func value(within limit: Duration) async -> Value? {
            await withCheckedContinuation { continuation in
                let ready: Value? = state.withLock { state in
                    if let value = state.value { return value }
                    state.waiter = continuation
                    state.timer = Task {
                        try? await Task.sleep(for: limit)
                        // Cancelled: the value came first and was handed over already.
                        if !Task.isCancelled { self.handOver(nil) }
                    }
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        /// Cancels the work's task, as the runner cancels a test it no longer waits for.
        func cancel() {
            state.withLock { $0.work }?.cancel()
        }

        private func deliver(_ value: Value) {
            state.withLock { $0.value = value }
            handOver(value)
        }

        /// Resumes the waiter, if one waits, with `value` (nil: its time is up).
        private func handOver(_ value: Value?) {
            let (waiter, timer) = state.withLock { state in
                defer {
                    state.waiter = nil
                    state.timer = nil
                }
                return (state.waiter, state.timer)
            }
            timer?.cancel()
            waiter?.resume(returning: value)
        }
    }
}
