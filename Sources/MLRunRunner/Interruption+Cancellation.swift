extension Interruption {
    /// Runs `body` on a task of its own that is cancelled when the run is interrupted (at
    /// once if it already is) or the calling task is cancelled, and returns what it returns:
    /// how an interrupt reaches the tests in flight, as cancellation.
    package func cancellingOnInterrupt<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) async -> Value {
        let task = Task { await body() }
        let token = onInterrupt { task.cancel() }
        defer { remove(token) }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
