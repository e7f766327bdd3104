import Synchronization

/// A single-consumer queue whose `next` can give up at a deadline or on cancellation.
///
/// The process pumps push what they read; the test waiting for its result takes it. A plain
/// `AsyncStream` cannot be waited on with a deadline without losing an element, hence this.
final class Mailbox<Element: Sendable>: Sendable {
    enum Receipt: Sendable {
        case element(Element)
        case timedOut
        case cancelled
    }

    private struct State {
        var queue: [Element] = []
        var head = 0
        var waiter: CheckedContinuation<Receipt, Never>?
        var waiterSerial = 0
    }

    private let state = Mutex(State())

    func push(_ element: Element) {
        let waiter: CheckedContinuation<Receipt, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queue.append(element)
            return nil
        }
        waiter?.resume(returning: .element(element))
    }

    /// Whether an element is waiting and satisfies `predicate`.
    func containsQueued(where predicate: (Element) -> Bool) -> Bool {
        state.withLock { state in state.queue[state.head...].contains(where: predicate) }
    }

    /// The first element waiting, left in place.
    func firstQueued() -> Element? {
        state.withLock { state in state.head < state.queue.count ? state.queue[state.head] : nil }
    }

    /// The next element, or `.timedOut` at `deadline`, or `.cancelled` if the task is cancelled.
    func next(deadline: ContinuousClock.Instant?) async -> Receipt {
        if let element = popQueued() { return .element(element) }
        let serial = state.withLock { state -> Int in
            state.waiterSerial += 1
            return state.waiterSerial
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Receipt, Never>) in
                let immediate: Receipt? = state.withLock { state in
                    if state.head < state.queue.count {
                        let element = state.queue[state.head]
                        state.head += 1
                        compact(&state)
                        return .element(element)
                    }
                    if Task.isCancelled { return .cancelled }
                    state.waiter = continuation
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                if let deadline {
                    Task {
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        self.abandon(serial: serial, with: .timedOut)
                    }
                }
            }
        } onCancel: {
            self.abandon(serial: serial, with: .cancelled)
        }
    }

    private func abandon(serial: Int, with receipt: Receipt) {
        let waiter: CheckedContinuation<Receipt, Never>? = state.withLock { state in
            guard state.waiterSerial == serial, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: receipt)
    }

    private func popQueued() -> Element? {
        state.withLock { state in
            guard state.head < state.queue.count else { return nil }
            let element = state.queue[state.head]
            state.head += 1
            compact(&state)
            return element
        }
    }

    private func compact(_ state: inout State) {
        if state.head > 1024, state.head * 2 > state.queue.count {
            state.queue.removeFirst(state.head)
            state.head = 0
        }
    }
}
