import Foundation
import MLRunCore
import MLRunData

/// One `[[data]]` table: its tests are its expectations; the first test to run triggers the
/// pass over the file, and every test reports its own part of it.
final class DataSuite: Suite, @unchecked Sendable {
    let spec: DataSpec
    var name: String { spec.name }
    var plugin: String { "data" }
    var markers: [Marker] { spec.markers }
    var paths: [String] { spec.paths }

    private let lock = NSLock()
    /// The pass's outcome, once it ran to its end.
    private var outcome: Result<[String: CheckResult], DataError>?

    init(spec: DataSpec) {
        self.spec = spec
    }

    func collect() async throws(SuiteError) -> [TestCase] {
        let markers = [Marker("data")]
        return Validation(spec: spec).planned.map { TestCase(name: $0.name, markers: markers) }
    }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let outcome = await pass()
        switch outcome {
        case .failure(let error):
            return .error(error.description)
        case .success(let results):
            guard let result = results[test.name] else { return .error("no result for \(test.name)") }
            for (key, value) in result.values { context.record(key, value) }
            return result.verdict
        }
    }

    /// The pass over the file, run once on a thread of its own (it is CPU-bound for seconds on
    /// big files and must not hold a cooperative thread); a cancelled caller stops it.
    private func pass() async -> Result<[String: CheckResult], DataError> {
        if let outcome = lock.withLock({ self.outcome }) { return outcome }
        let spec = self.spec
        // This pass's own: a test cancelled over its time limit stops its pass, and the next
        // test starts a pass of its own.
        let stop = StopFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[String: CheckResult], DataError>, Never>) in
                let thread = Thread {
                    let result: Result<[String: CheckResult], DataError>
                    do throws(DataError) {
                        result = .success(try Validation(spec: spec).run(shouldStop: { stop.isSet }))
                    } catch {
                        result = .failure(error)
                    }
                    continuation.resume(returning: result)
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
        if stop.isSet { return result }
        lock.withLock { outcome = result }
        return result
    }
}

/// A flag set from a cancellation handler and read by the pass between blocks.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
