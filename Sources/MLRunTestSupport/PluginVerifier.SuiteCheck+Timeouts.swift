import MLRunCore

extension PluginVerifier.SuiteCheck {
    /// For a suite that enforces timeouts, runs each test with `context.timeout` set to
    /// `limits.timeLimit` and checks that it comes back within the limit plus `limits.grace`
    /// (or as `timeout` within three more graces: a busy machine), and that a test it must
    /// have stopped is reported as `timeout`. A suite that enforces
    /// nothing is left alone: the runner holds its tests to their limits.
    ///
    /// The verifier cannot make a test run long, so what it sees depends on the test: one
    /// that finishes before the limit may return any verdict; one that runs (alone, without a
    /// limit) longer than the limit plus the grace would not have come back in time had the
    /// suite not stopped it, so it must be reported as `timeout` (a second plain run confirms
    /// that it is that slow before the suite is blamed).
    mutating func checkTimeouts(_ tests: [TestCase]) async {
        guard suite.enforcesTimeouts else { return }
        let limit = limits.timeLimit.inSeconds
        for test in tests {
            guard !abandoned else { return }
            let pending = start(testRun(test, timeout: limit))
            var record = await pending.value(within: limits.timeLimit + limits.grace)
            if record == nil, let late = await pending.value(within: limits.grace * 3), late.verdict.outcome == .timeout {
                // Stopped, but late: on a busy machine (tests running beside this one on a
                // few cores) the verifier's own tasks wait for a thread too. Only a test the
                // suite never stops is reported.
                record = late
            }
            guard let record else {
                problems.append(
                    "\(id(test)): the suite enforces timeouts (enforcesTimeouts is true), but the test was still "
                        + "running \(format(limits.grace)) after its limit of \(format(limits.timeLimit)); stop it at "
                        + "context.timeout and return .timeout(…), or leave enforcesTimeouts false and let the runner do it")
                await stop(pending, test)
                continue
            }
            guard let plain = alone[test.name], record.duration >= limit, record.verdict.outcome != .timeout else { continue }
            // A slow plain run may have been a busy machine's doing: run it plainly once more.
            let longer = (limits.timeLimit + limits.grace).inSeconds
            guard plain.duration > longer, await testRun(test, timeout: test.timeout).run(suite).duration > longer else { continue }
            problems.append(
                "\(id(test)): with a limit of \(format(limits.timeLimit)) it came back "
                    + "'\(record.verdict.outcome.rawValue)' after \(format(seconds: record.duration)), though it runs "
                    + "\(format(seconds: plain.duration)) without one; a suite that enforces timeouts must report a test "
                    + "it stops at its limit as .timeout(…)")
        }
    }
}
