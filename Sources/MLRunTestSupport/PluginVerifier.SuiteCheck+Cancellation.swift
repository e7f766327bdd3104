import MLRunCore

extension PluginVerifier.SuiteCheck {
    /// Runs each test on a task cancelled before the test starts (whatever the test's pace,
    /// that reaches the suite's handling of cancellation), then on one cancelled
    /// `limits.cancelAfter` after it starts, as an interrupt or the runner's time limit would,
    /// and checks that `run` then returns within `limits.grace` (any verdict will do: the
    /// runner decides). Then runs each test to its end once more and checks it comes to the
    /// outcome it had in the plain pass: after a test over its time limit the runner goes on
    /// with the suite's other tests, so a cancelled test must leave the suite as it was.
    ///
    /// A test that finishes within `cancelAfter` says nothing about how it stops midway.
    mutating func checkCancellation(_ tests: [TestCase]) async {
        for test in tests {
            guard !abandoned else { return }
            await stop(start(testRun(test, timeout: test.timeout), cancelled: true), test)
            guard !abandoned else { return }
            let pending = start(testRun(test, timeout: test.timeout))
            if await pending.value(within: limits.cancelAfter) == nil { await stop(pending, test) }
        }
        guard !abandoned else { return }
        let after = "after the suite's tests were cancelled, as the runner cancels a test over its time limit,"
        let advice = "a cancelled test must leave the suite able to run its other tests"
        for test in tests {
            guard !abandoned else { return }
            let pending = start(testRun(test, timeout: test.timeout))
            guard let record = await pending.value(within: bound(test)) else {
                problems.append(
                    "\(id(test)): \(after) it did not come back within \(format(bound(test))) "
                        + "(before it took \(format(seconds: aloneDuration(test)))); \(advice)")
                await stop(pending, test)
                continue
            }
            guard let before = alone[test.name]?.verdict, record.verdict.outcome != before.outcome else { continue }
            let why = record.verdict.message.isEmpty ? "" : " (\(record.verdict.message))"
            problems.append(
                "\(id(test)): \(after) it came back '\(record.verdict.outcome.rawValue)'\(why), "
                    + "but '\(before.outcome.rawValue)' before; \(advice)")
        }
    }
}
