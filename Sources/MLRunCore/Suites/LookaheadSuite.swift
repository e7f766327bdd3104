/// A suite that can start on the tests after the running one: the runner tells it, through
/// `TestContext.upcoming`, which of its tests will run next on the same worker, so it can
/// hand them to its process before the running test has finished (as `[[command]]` suites
/// write ids ahead to their program).
///
/// ## Contract
/// - Adopting this is optional; for other suites `context.upcoming` is always empty.
/// - `context.upcoming` holds at most `lookahead` tests of this suite, in the order they
///   will run on `context.worker`. The runner promises that the next `run` on that worker is
///   for `upcoming.first`, unless the run stops first (an interrupt, `-x`/`--maxfail`, the
///   restart budget): then `finish()` follows instead, and the upcoming tests must not run.
///   A later test's `upcoming` starts with the tests of the earlier one still due.
/// - The runner decides how many tests to offer, from 0 up to `lookahead`: fewer while
///   tests are slow, and never more than a fair share of what is left, so that other
///   workers are not left idle at the end of a run.
/// - The upcoming tests are not started yet: each still gets its own `run` call, context,
///   seed and time limit, and its own outcome.
public protocol LookaheadSuite: Suite {
    /// The most upcoming tests the suite wants to be told of (beyond the running one).
    var lookahead: Int { get }
}
