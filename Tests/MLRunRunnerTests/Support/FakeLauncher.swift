import MLRunCore
import MLRunRunner
import Synchronization

/// A slot launcher whose attempts do what the test's `behaviour` says, recording every
/// launch and the most attempts of each marker (group) that were in flight at once.
final class FakeLauncher: SlotLauncher {
    /// One call of `launch`.
    struct Launch: Sendable, Equatable, CustomStringConvertible {
        var id: TestID
        var name: String { id.name }
        var attempt: Int
        var slot: Int

        var description: String { "\(name)#\(attempt)@\(slot)" }
    }

    /// What an attempt comes to.
    struct Reply: Sendable {
        var verdict: TestVerdict
        var processLost = false
    }

    private struct State {
        var launches: [Launch] = []
        var running: [String: Int] = [:]
        var mostRunning: [String: Int] = [:]
        var busySlots: Set<Int> = []
        var slotClashes = 0
        var upcoming: [String: [String]] = [:]
    }

    private let behaviour: @Sendable (Launch) async -> Reply
    private let state = Mutex(State())
    /// What `lookahead(for:)` offers for every test.
    private let offered: Lookahead?

    /// A launcher whose attempts reply with `behaviour(launch)`; by default every test passes.
    /// With `lookahead`, every test may have tests reserved behind it.
    init(lookahead: Lookahead? = nil, _ behaviour: @escaping @Sendable (Launch) async -> Reply = { _ in Reply(verdict: .passed) }) {
        self.behaviour = behaviour
        offered = lookahead
    }

    func lookahead(for test: PlannedTest) -> Lookahead? { offered }

    /// The names of the tests reserved behind each launched test (by name), at its launch.
    var upcoming: [String: [String]] { state.withLock { $0.upcoming } }

    /// The launches so far, in the order they began.
    var launches: [Launch] { state.withLock { $0.launches } }
    /// The most attempts carrying each marker that were in flight at once.
    var mostRunning: [String: Int] { state.withLock { $0.mostRunning } }
    /// How often a launch began in a slot that already had one in flight (the contract says never).
    var slotClashes: Int { state.withLock { $0.slotClashes } }

    func launch(_ test: PlannedTest, attempt: Int, slot: Int, upcoming: [PlannedTest]) async -> SlotOutcome {
        let launch = Launch(id: test.id, attempt: attempt, slot: slot)
        let markers = test.markers.map(\.name)
        state.withLock { state in
            state.launches.append(launch)
            state.upcoming[test.id.name] = upcoming.map(\.id.name)
            if !state.busySlots.insert(slot).inserted { state.slotClashes += 1 }
            for name in markers {
                state.running[name, default: 0] += 1
                state.mostRunning[name] = max(state.mostRunning[name, default: 0], state.running[name]!)
            }
        }
        // Let other launches in flight interleave with this one.
        await Task.yield()
        let reply = await behaviour(launch)
        state.withLock { state in
            state.busySlots.remove(slot)
            for name in markers { state.running[name, default: 0] -= 1 }
        }
        let result = TestResult(
            id: test.id, plugin: test.plugin, markers: test.markers, outcome: reply.verdict.outcome,
            message: reply.verdict.message, worker: slot, attempts: attempt)
        return SlotOutcome(result: result, processLost: reply.processLost)
    }
}
