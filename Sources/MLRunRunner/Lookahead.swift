/// Which tests a slot may be given ahead of the one it runs: tests of one `lane` run in one
/// process, in the order they are written to it, so they may queue there behind each other.
///
/// A launcher offers a lookahead for the tests it can pipeline (`SlotLauncher.lookahead`);
/// the dispatcher decides how many to reserve for a slot (`Dispatcher.Window`) and passes
/// them to `launch` as `upcoming`.
package struct Lookahead: Sendable, Equatable {
    /// Tests with equal lanes may share a slot's queue: a suite's index in the plan, or
    /// `Lookahead.workerLane` for the tests that go to the `-n` mlrun worker processes.
    package var lane: Int
    /// The most tests a slot may hold ahead of the running one.
    package var depth: Int

    package init(lane: Int, depth: Int) {
        self.lane = lane
        self.depth = depth
    }

    /// The lane of every test run by an mlrun worker process.
    package static let workerLane = -1
}
