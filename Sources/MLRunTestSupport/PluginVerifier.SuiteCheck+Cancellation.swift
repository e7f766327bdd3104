import MLRunCore

extension PluginVerifier.SuiteCheck {
    /// Runs each test on a task that is cancelled `limits.cancelAfter` after the test starts,
    /// as an interrupt or the runner's time limit would, and checks that `run` then returns
    /// within `limits.grace` (any verdict will do: the runner decides).
    ///
    /// Only a test still running when its task is cancelled says anything; one that finished
    /// before passes unseen.
    mutating func checkCancellation(_ tests: [TestCase]) async {
        for test in tests {
            guard !abandoned else { return }
            let pending = start(testRun(test, timeout: test.timeout))
            if await pending.value(within: limits.cancelAfter) != nil { continue }
            _ = await stop(pending, test)
        }
    }
}
