import MLRunCore

extension PluginVerifier.SuiteCheck {
    /// What one worker's share of the tests came to, by the test's index.
    private struct Share: Sendable {
        var worker: Int
        var records: [Int: TestRun.Record] = [:]
        /// Tests that did not come back within their bound, and whether they did once cancelled.
        var late: [(index: Int, stopped: Bool)] = []
    }

    /// For a `.perWorker` suite, runs the tests on workers 0 and 1 at once, as `-n 2` does:
    /// worker 0 runs the 1st, 3rd, 5th… test one after another while worker 1 runs the 2nd,
    /// 4th…; checks that each comes back in time (twice its time alone plus the grace) and
    /// to the outcome it had alone. `finish()` is checked afterwards, as always.
    ///
    /// Outcomes are compared, not messages or values; a test whose outcome is left to chance
    /// shows up here as a difference. A suite of one test has nothing to overlap and is skipped.
    mutating func checkPerWorker(_ tests: [TestCase]) async {
        guard suite.concurrency == .perWorker, tests.count >= 2 else { return }
        ranConcurrently = true
        let check = self
        let shares = await withTaskGroup(of: Share.self) { group in
            for worker in 0..<2 {
                group.addTask { await check.runShare(of: worker, tests) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for share in shares.sorted(by: { $0.worker < $1.worker }) {
            let other = 1 - share.worker
            for (index, stopped) in share.late {
                let test = tests[index]
                problems.append(
                    "\(id(test)): on worker \(share.worker), while worker \(other) ran the suite's other tests, it did "
                        + "not come back within \(format(bound(test))) (alone it took \(format(seconds: aloneDuration(test)))); "
                        + "a .perWorker suite must let each worker run on its own, without waiting for the others")
                if !stopped {
                    problems.append(cancellationProblem(test))
                    abandoned = true
                }
            }
            for (index, record) in share.records.sorted(by: { $0.key < $1.key }) {
                guard let before = alone[tests[index].name]?.verdict, record.verdict.outcome != before.outcome else { continue }
                let why = record.verdict.message.isEmpty ? "" : " (\(record.verdict.message))"
                problems.append(
                    "\(id(tests[index])): on worker \(share.worker), while worker \(other) ran the suite's other tests, "
                        + "it came back '\(record.verdict.outcome.rawValue)'\(why), but '\(before.outcome.rawValue)' when run alone; "
                        + "a .perWorker suite must keep each context.worker's tests apart (a process or state of its own per worker)")
            }
        }
    }

    /// Runs `worker`'s share of `tests`, one at a time.
    private func runShare(of worker: Int, _ tests: [TestCase]) async -> Share {
        var share = Share(worker: worker)
        for index in stride(from: worker, to: tests.count, by: 2) {
            let pending = start(testRun(tests[index], worker: worker, workers: 2, timeout: tests[index].timeout))
            if let record = await pending.value(within: bound(tests[index])) {
                share.records[index] = record
                continue
            }
            pending.cancel()
            let stopped = await pending.value(within: limits.grace) != nil
            share.late.append((index, stopped))
            // A run left going would overlap this worker's next one.
            if !stopped { break }
        }
        return share
    }
}
