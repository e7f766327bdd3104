extension PluginVerifier {
    /// How long the verifier lets a plugin take before it calls what it sees a problem.
    ///
    /// The defaults suit a plugin author's tests on a busy CI machine; make `grace` smaller
    /// only to keep a test of deliberately broken plugins fast.
    public struct Limits: Sendable {
        /// In the cancellation check, how long after a test starts its task is cancelled.
        public var cancelAfter: Duration
        /// How soon a run must return once its task is cancelled; how far past its limit a
        /// suite that enforces timeouts may return; how soon `finish()` must return. A
        /// test run again after the plain pass (concurrently, or after cancellations) gets
        /// twice its time in the plain pass plus this.
        public var grace: Duration
        /// In the timeouts check, the `context.timeout` given to each test of a suite that
        /// enforces timeouts.
        public var timeLimit: Duration

        /// Limits with the defaults: cancel after 50 ms, 3 s of grace, a 50 ms time limit.
        public init(cancelAfter: Duration = .milliseconds(50), grace: Duration = .seconds(3), timeLimit: Duration = .milliseconds(50)) {
            self.cancelAfter = cancelAfter
            self.grace = grace
            self.timeLimit = timeLimit
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
