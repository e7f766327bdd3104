import Dispatch
import Foundation
import MLRunCore
import MLRunData
import MLRunStats
import Synchronization

/// One `[[drift]]` table: one test per column and method (`serving::feature_a::ks`).
///
/// Collection reads both files (one streaming pass each, every column at once) to learn the
/// columns and their kinds; the first test to run computes every column's statistics in
/// parallel, applies the suite's multiple-testing correction, and each test reports its part.
final class DriftSuite: Suite, @unchecked Sendable {
    let spec: DriftSpec
    var name: String { spec.name }
    var plugin: String { "drift" }
    var markers: [Marker] { spec.markers }
    var paths: [String] { spec.paths }

    private let lock = NSLock()
    private var prepared: Result<[PreparedColumn], SuiteError>?
    private var results: [String: Verdict]?

    /// A test's verdict and the values it records.
    struct Verdict: Sendable {
        var verdict: TestVerdict
        var values: [(String, JSONValue)]
    }

    /// A column ready to compare: its kind, both sides and its methods (or why it cannot be).
    struct PreparedColumn: Sendable {
        var name: String
        var kind: ColumnKind
        var reference: ReferenceSnapshot.Column
        var current: ColumnSample
        var methods: [DriftMethod]
        /// Set when the column cannot be compared (a declared kind its values contradict…).
        var problem: String?
    }

    init(spec: DriftSpec) {
        self.spec = spec
    }

    // MARK: collection

    func collect() async throws(SuiteError) -> [TestCase] {
        let columns = try await DedicatedThread.run { self.prepare() }.get()
        var names: [String] = []
        for column in columns {
            for method in column.methods { names.append("\(column.name)::\(method.rawValue)") }
        }
        return names.map { TestCase(name: $0, markers: [Marker("data")]) }
    }

    private func prepare() -> Result<[PreparedColumn], SuiteError> {
        lock.lock()
        defer { lock.unlock() }
        if let prepared { return prepared }
        let result = Result(catching: { () throws(SuiteError) -> [PreparedColumn] in try self.load() })
        prepared = result
        return result
    }

    /// Reads both sides and decides each column's kind and methods.
    private func load() throws(SuiteError) -> [PreparedColumn] {
        FreedMemory.keepInHeap()
        let currentReader = ColumnReader(
            path: spec.current, displayPath: spec.currentAsWritten, delimiter: spec.delimiter, nullValues: spec.nullValues)
        var referenceColumns: [(name: String, column: ReferenceSnapshot.Column)] = []
        let currentNames: [String]
        do {
            currentNames = try currentReader.columnNames()
        } catch {
            throw SuiteError(error.description)
        }
        var referenceNames: [String]
        var snapshot: ReferenceSnapshot?
        let referenceReader = ColumnReader(
            path: spec.reference, displayPath: spec.referenceAsWritten, delimiter: spec.delimiter, nullValues: spec.nullValues)
        if spec.referenceIsSnapshot {
            do {
                snapshot = try ReferenceSnapshot.read(spec.reference, displayPath: spec.referenceAsWritten)
            } catch {
                throw SuiteError(error.description)
            }
            referenceNames = snapshot?.columns.map(\.name) ?? []
        } else {
            do {
                referenceNames = try referenceReader.columnNames()
            } catch {
                throw SuiteError(error.description)
            }
        }
        // Which columns.
        let chosen: [String]
        if let listed = spec.columns {
            for name in listed {
                if !referenceNames.contains(name) {
                    throw SuiteError(
                        "'columns' names '\(name)', which the reference \(spec.referenceAsWritten) does not have (its columns: \(referenceNames.joined(separator: ", ")))"
                    )
                }
                if !currentNames.contains(name) {
                    throw SuiteError(
                        "'columns' names '\(name)', which \(spec.currentAsWritten) does not have (its columns: \(currentNames.joined(separator: ", ")))"
                    )
                }
            }
            chosen = listed
        } else {
            chosen = referenceNames.filter { currentNames.contains($0) && !spec.ignore.contains($0) }
        }
        for name in spec.columnSettings.keys.sorted() where !chosen.contains(name) {
            throw SuiteError(
                "[drift.columns.\(name)] names a column that is not compared (the columns both files have: \(chosen.joined(separator: ", ")))")
        }
        guard !chosen.isEmpty else {
            throw SuiteError("\(spec.referenceAsWritten) and \(spec.currentAsWritten) share no column to compare")
        }
        // Both sides, one pass each, the two files at once: each reader's merging of its
        // batches is serial, so two readers keep both cores busy.
        let referenceRead = Mutex<Result<[ColumnSample], ColumnReader.Problem>?>(nil)
        let referenceThread = DispatchSemaphore(value: 0)
        if snapshot == nil {
            let thread = Thread {
                referenceRead.withLock { $0 = Result(catching: { () throws(ColumnReader.Problem) in try referenceReader.read(chosen) }) }
                referenceThread.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        } else {
            referenceThread.signal()
        }
        let current: [ColumnSample]
        do throws(ColumnReader.Problem) {
            let currentRead = Result(catching: { () throws(ColumnReader.Problem) in try currentReader.read(chosen) })
            referenceThread.wait()
            current = try currentRead.get()
            if let snapshot {
                referenceColumns = chosen.compactMap { name in snapshot.columns.first(where: { $0.name == name }) }
            } else {
                // The reading thread stores its result before it signals.
                guard let read = referenceRead.withLock({ $0 }) else {
                    throw ColumnReader.Problem(description: "\(spec.referenceAsWritten): the reference was not read")
                }
                let samples = try read.get()
                referenceColumns = zip(chosen, samples).map { name, sample in
                    (
                        name,
                        sample.hasText
                            ? .categorical(counts: sample.counts, missing: sample.missing)
                            : .numeric(
                                values: sample.numbers, summary: nil, counts: sample.countsComplete ? sample.counts : nil, missing: sample.missing)
                    )
                }
            }
        } catch {
            throw SuiteError(error.description)
        }
        return zip(referenceColumns, current).map { reference, current in
            prepareColumn(reference.name, reference: reference.column, current: current)
        }
    }

    private func prepareColumn(_ name: String, reference: ReferenceSnapshot.Column, current: ColumnSample) -> PreparedColumn {
        let declared = spec.columnSettings[name]?.kind
        let referenceIsNumeric: Bool
        if case .numeric = reference { referenceIsNumeric = true } else { referenceIsNumeric = false }
        let currentIsNumeric = !current.hasText
        var problem: String?
        let kind: ColumnKind
        if let declared {
            kind = declared
            if declared == .numeric && (!referenceIsNumeric || !currentIsNumeric) {
                problem =
                    "'\(name)' is declared numeric but \(referenceIsNumeric ? spec.currentAsWritten : spec.referenceAsWritten) holds values in it that are not numbers"
            }
        } else {
            kind = referenceIsNumeric && currentIsNumeric ? .numeric : .categorical
        }
        if kind == .categorical && problem == nil {
            if case .numeric(_, _, let counts, _) = reference, counts == nil {
                problem =
                    "'\(name)' is read as categorical (\(spec.currentAsWritten) holds text in it), but the reference has more than \(ColumnSample.numericCountLimit) distinct numbers: declare its type, or compare numeric columns only"
            } else if !current.countsComplete {
                problem =
                    "'\(name)' is read as categorical but \(spec.currentAsWritten) has more than \(ColumnSample.numericCountLimit) distinct numbers in it: declare type = \"numeric\""
            }
        }
        return PreparedColumn(
            name: name, kind: kind, reference: reference, current: current, methods: spec.methods(for: name, kind: kind), problem: problem)
    }

    // MARK: running

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let all: [String: Verdict]
        switch await DedicatedThread.run({ self.evaluateAll() }) {
        case .failure(let error): return .error(error.message)
        case .success(let value): all = value
        }
        guard let result = all[test.name] else { return .error("no result for \(test.name)") }
        for (key, value) in result.values { context.record(key, value) }
        return result.verdict
    }

    private func evaluateAll() -> Result<[String: Verdict], SuiteError> {
        if let results = lock.withLock({ self.results }) { return .success(results) }
        let columns: [PreparedColumn]
        switch prepare() {
        case .failure(let error): return .failure(error)
        case .success(let value): columns = value
        }
        let out = DriftEvaluation(spec: spec).evaluate(columns)
        lock.withLock { results = out }
        return .success(out)
    }
}
