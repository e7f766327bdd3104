import Foundation
import MLRunCore
import MLRunRunner

extension Session {
    /// Collects every suite concurrently; results come back in the suites' order.
    static func collect(_ suites: [any Suite]) async -> [(suite: any Suite, result: Result<[TestCase], SuiteError>)] {
        await withTaskGroup(of: (Int, Result<[TestCase], SuiteError>).self) { group in
            for (index, suite) in suites.enumerated() {
                group.addTask {
                    // Assigned first and returned once: Swift 6.3's optimiser miscompiled
                    // `return (index, .success(try await …))` inside `do throws(…)`,
                    // dropping `index` in release builds.
                    let result: Result<[TestCase], SuiteError>
                    do throws(SuiteError) {
                        result = .success(try await suite.collect())
                    } catch {
                        result = .failure(error)
                    }
                    return (index, result)
                }
            }
            var results = [Result<[TestCase], SuiteError>?](repeating: nil, count: suites.count)
            for await (index, result) in group { results[index] = result }
            return suites.indices.map { (suites[$0], results[$0] ?? .failure(SuiteError("collection did not finish"))) }
        }
    }

    /// `--collect-only`: every selected test is reported as `collected`.
    static func reportCollection(_ plan: Plan, emit: (RunEvent) -> Void, interruption: Interruption, startedAt: Date) -> RunSummary {
        var counts: [Outcome: Int] = [:]
        for failure in plan.collectionFailures {
            emit(.testFinished(failure.result))
            counts[failure.result.outcome, default: 0] += 1
        }
        for test in plan.selected {
            var result = TestResult(id: test.id, plugin: test.plugin, markers: test.markers, outcome: .collected, attempts: 0)
            result.selectedBecause = test.selectedBecause
            emit(.testFinished(result))
            counts[.collected, default: 0] += 1
        }
        let exitCode = MLRunExitCode.of(interrupted: interruption.isInterrupted, counts: counts, selected: plan.selected.count)
        return RunSummary(
            collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected.count, counts: counts,
            duration: Date().timeIntervalSince(startedAt), interruptedBy: interruption.signal, exitCode: exitCode)
    }
}
