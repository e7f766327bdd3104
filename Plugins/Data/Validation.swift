import Foundation
import MLRunCore
import MLRunData

#if canImport(Glibc)
import Glibc
#endif

/// Checks every expectation of one `[[data]]` suite in a single streaming pass over its file.
struct Validation {
    let spec: DataSpec
    /// "Now" for `not_future`: when the pass starts.
    let now: Timestamp

    init(spec: DataSpec, now: Date = Date()) {
        self.spec = spec
        let seconds = now.timeIntervalSince1970
        self.now = Timestamp(
            seconds: Int64(seconds.rounded(.down)),
            nanoseconds: Int32(((seconds - seconds.rounded(.down)) * 1e9).rounded(.down)))
    }

    /// One planned test: its name, the columns it needs, and how to build its check.
    struct Planned {
        var name: String
        var columns: [String]
        var make: (_ index: [String: Int]) throws(DataError) -> any Check
    }

    /// The suite's tests, in config order; the same list with or without the file.
    var planned: [Planned] {
        var tests: [Planned] = []
        for column in spec.columns {
            let name = column.name
            var added = 0
            func add(_ test: String, _ make: @escaping (Int) -> any Check) {
                tests.append(Planned(name: "\(name)::\(test)", columns: [name]) { index in make(index[name] ?? -1) })
                added += 1
            }
            if let type = column.type {
                add("type") { RowCheck(name: "\(name)::type", column: $0, rule: .type(type), mostly: column.mostly) }
            }
            if !column.nullable {
                add("not_null") { RowCheck(name: "\(name)::not_null", column: $0, rule: .notNull, mostly: column.mostly) }
            }
            if column.min != nil || column.max != nil {
                add("between") {
                    RowCheck(
                        name: "\(name)::between", column: $0,
                        rule: .between(
                            min: column.min, max: column.max,
                            strictMin: column.strictMin, strictMax: column.strictMax), mostly: column.mostly)
                }
            }
            if let allowed = column.allowed {
                let values = allowed.compactMap { text -> ParsedValue? in
                    var copy = text
                    return copy.withUTF8 { ValueParser.parse($0, as: column.valueType) }
                }
                add("in") {
                    RowCheck(
                        name: "\(name)::in", column: $0,
                        rule: .allowed(
                            values: values, texts: allowed.map { Array($0.utf8) },
                            display: allowed), mostly: column.mostly)
                }
            }
            if let pattern = column.regex, let expression = try? NSRegularExpression(pattern: pattern) {
                add("regex") { RowCheck(name: "\(name)::regex", column: $0, rule: .regex(expression, pattern: pattern), mostly: column.mostly) }
            }
            if column.minLength != nil || column.maxLength != nil {
                add("length") {
                    RowCheck(name: "\(name)::length", column: $0, rule: .length(min: column.minLength, max: column.maxLength), mostly: column.mostly)
                }
            }
            if column.notFuture {
                let now = self.now
                add("not_future") { RowCheck(name: "\(name)::not_future", column: $0, rule: .notFuture(now: now), mostly: column.mostly) }
            }
            if column.unique {
                add("unique") { KeyCheck(name: "\(name)::unique", columns: [$0], columnNames: [name], kind: .unique) }
            }
            if column.increasing || column.decreasing {
                let test = column.increasing ? "increasing" : "decreasing"
                add(test) { OrderCheck(name: "\(name)::\(test)", column: $0, decreasing: column.decreasing, strictly: column.strictly) }
            }
            if let frequency = column.minClassFrequency {
                add("min_class_frequency") {
                    ClassCheck(name: "\(name)::min_class_frequency", column: $0, rule: .minFrequency(frequency), file: spec.fileAsWritten)
                }
            }
            if let classes = column.minClasses {
                add("min_classes") { ClassCheck(name: "\(name)::min_classes", column: $0, rule: .minClasses(classes), file: spec.fileAsWritten) }
            }
            if added == 0 {
                add("exists") { _ in TableCheck(name: "\(name)::exists", rule: .exists(name)) }
            }
        }
        if spec.minRows != nil || spec.maxRows != nil {
            tests.append(Planned(name: "rows", columns: []) { _ in TableCheck(name: "rows", rule: .rows(min: spec.minRows, max: spec.maxRows)) })
        }
        for key in spec.uniqueKeys {
            let name = "\(key.joined(separator: ","))::unique"
            tests.append(
                Planned(name: name, columns: key) { index in
                    KeyCheck(name: name, columns: key.map { index[$0] ?? -1 }, columnNames: key, kind: .unique)
                })
        }
        for leak in spec.leakage {
            let name = "\(leak.key)::leakage"
            if let split = leak.split {
                tests.append(
                    Planned(name: name, columns: [leak.key, split]) { index in
                        KeyCheck(
                            name: name, columns: [index[leak.key] ?? -1], columnNames: [leak.key], kind: .leakageBySplit(split: index[split] ?? -1))
                    })
            } else if let against = leak.against {
                tests.append(
                    Planned(name: name, columns: [leak.key]) { index throws(DataError) in
                        let check = KeyCheck(
                            name: name, columns: [index[leak.key] ?? -1], columnNames: [leak.key], kind: .leakageAgainst(file: against))
                        try Validation.readOther(
                            file: spec.againstFiles[against] ?? URL(fileURLWithPath: against), written: against,
                            key: leak.key, type: spec.columns.first { $0.name == leak.key }?.valueType ?? .string,
                            spec: spec, into: check)
                        return check
                    })
            }
        }
        if spec.columnsExactly {
            tests.append(
                Planned(name: "columns_exactly", columns: []) { _ in
                    TableCheck(name: "columns_exactly", rule: .columnsExactly(spec.columns.map(\.name)))
                })
        }
        return tests
    }

    /// Every column a check or the sample key reads, for JSON Lines (which reads only those).
    var referencedColumns: [String] {
        let leakageColumns = spec.leakage.flatMap { [$0.key] + ($0.split.map { [$0] } ?? []) }
        let candidates = spec.columns.map(\.name) + spec.key + spec.uniqueKeys.flatMap(\.self) + leakageColumns
        var names: [String] = []
        for name in candidates where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The type each column is read as.
    func type(of column: String) -> DataSpec.ValueType {
        spec.columns.first { $0.name == column }?.valueType ?? .string
    }

    /// Runs the pass; results by test name. A file that cannot be read throws, and every test
    /// of the suite reports it.
    func run(shouldStop: @escaping @Sendable () -> Bool) throws(DataError) -> [String: CheckResult] {
        FreedMemory.keepInHeap()
        let table = try TableFile.open(spec: spec, path: spec.file.path, displayPath: spec.fileAsWritten, columns: referencedColumns)
        let header = table.columns
        let index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($0.element, $0.offset) })
        var results: [String: CheckResult] = [:]
        var checks: [any Check] = []
        var needed: [Int: DataSpec.ValueType] = [:]
        for test in planned {
            let missing = test.columns.filter { index[$0] == nil }
            if table.knowsColumnsUpFront, !missing.isEmpty {
                results[test.name] = Self.missingColumns(missing, table: table)
                continue
            }
            checks.append(try test.make(index))
            for column in test.columns { if let at = index[column] { needed[at] = type(of: column) } }
        }
        let keyColumns = spec.key.compactMap { name in index[name].map { (name: name, index: $0) } }
        let context = BatchContext(keyColumns: keyColumns)
        let nullValues = spec.nullValues.map { Array($0.utf8) }
        let frozenNeeded = needed
        let frozenChecks = checks
        var rows = 0
        var stopped = false
        var absorbError: DataError?
        try table.read(
            work: { batch in
                if shouldStop() { return [] as [any Sendable] }
                let parsed = ParsedBatch(batch: batch, needed: frozenNeeded, nullValues: nullValues)
                return frozenChecks.map { $0.examine(batch, parsed, context) }
            },
            consume: { batch, partials in
                guard !stopped, absorbError == nil else { return }
                if shouldStop() || partials.count != frozenChecks.count {
                    stopped = true
                    return
                }
                rows += batch.rowCount
                do throws(DataError) {
                    for (check, partial) in zip(frozenChecks, partials) { try check.absorb(partial, batch) }
                } catch {
                    absorbError = error
                }
            })
        if let absorbError { throw absorbError }
        if stopped { throw DataError(file: spec.fileAsWritten, "interrupted") }
        let path = spec.file.path
        let summary = PassSummary(
            rows: rows, fieldsAt: { offset in table.fields(atOffset: offset) },
            linesAt: { offsets in LineNumbers.of(offsets, inFileAt: path) })
        let seen = Set(table.seenColumns)
        for check in checks {
            let test = planned.first { $0.name == check.name }
            if !table.knowsColumnsUpFront, let test, case let missing = test.columns.filter({ !seen.contains($0) }), !missing.isEmpty {
                results[check.name] = Self.missingColumns(missing, table: table)
                continue
            }
            if let tableCheck = check as? TableCheck {
                results[check.name] = tableCheck.conclude(rows: rows, columns: table.seenColumns)
            } else {
                results[check.name] = try check.conclude(summary)
            }
        }
        return results
    }

    static func missingColumns(_ missing: [String], table: TableFile) -> CheckResult {
        let list = missing.map { "'\($0)'" }.joined(separator: ", ")
        let present = table.seenColumns.prefix(30).joined(separator: ", ")
        return CheckResult(
            verdict: .failed("column\(missing.count == 1 ? "" : "s") \(list) not in \(table.displayPath) (its columns: \(present))"),
            values: [])
    }

    /// Adds the key column of an `against` file to a leakage check, tagged as the other file.
    static func readOther(
        file: URL, written: String, key: String, type: DataSpec.ValueType, spec: DataSpec,
        into check: KeyCheck
    ) throws(DataError) {
        var otherSpec = spec
        otherSpec.file = file
        otherSpec.fileAsWritten = written
        switch file.pathExtension.lowercased() {
        case "jsonl", "ndjson": otherSpec.format = .jsonl
        default: otherSpec.format = .csv
        }
        let table = try TableFile.open(spec: otherSpec, path: file.path, displayPath: written, columns: [key])
        guard let column = table.columns.firstIndex(of: key) else {
            throw DataError(file: written, "leakage: column '\(key)' is not in this file")
        }
        let nullValues = spec.nullValues.map { Array($0.utf8) }
        var failure: DataError?
        try table.read(
            work: { batch in
                let parsed = ParsedBatch(batch: batch, needed: [column: type], nullValues: nullValues)
                var records: [KeyGroups.Record] = []
                guard let data = parsed.columns[column] else { return records }
                for row in 0..<batch.rowCount {
                    guard let hash = KeyCheck.key(batch, [data], row: row, columns: [column]) else { continue }
                    records.append(KeyGroups.Record(key: hash, tag: KeyCheck.otherFileTag, offset: -1))
                }
                return records
            },
            consume: { _, records in
                guard failure == nil else { return }
                do throws(DataError) {
                    try check.groups.add(records)
                } catch {
                    failure = error
                }
            })
        if let failure { throw failure }
        if !table.knowsColumnsUpFront, !table.seenColumns.contains(key) {
            throw DataError(file: written, "leakage: column '\(key)' is not in this file")
        }
    }
}

/// The table-wide tests that need no per-row work: `rows`, `columns_exactly`, `exists`.
final class TableCheck: Check, @unchecked Sendable {
    enum Rule: Sendable {
        case rows(min: Int?, max: Int?)
        case columnsExactly([String])
        case exists(String)
    }

    let name: String
    let rule: Rule

    init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }

    func examine(_ batch: RecordBatch, _ parsed: ParsedBatch, _ context: BatchContext) -> any Sendable { 0 }
    func absorb(_ partial: any Sendable, _ batch: RecordBatch) throws(DataError) {}
    func conclude(_ pass: PassSummary) throws(DataError) -> CheckResult { conclude(rows: pass.rows, columns: []) }

    func conclude(rows: Int, columns: [String]) -> CheckResult {
        switch rule {
        case .rows(let min, let max):
            let values: [(String, JSONValue)] =
                [("value", .int(rows))] + (min.map { [("min", .int($0))] } ?? []) + (max.map { [("max", .int($0))] } ?? [])
            if let min, rows < min { return CheckResult(verdict: .failed("\(rows) rows, at least \(min) expected"), values: values) }
            if let max, rows > max { return CheckResult(verdict: .failed("\(rows) rows, at most \(max) expected"), values: values) }
            return CheckResult(verdict: .passed, values: values)
        case .columnsExactly(let declared):
            let extra = columns.filter { !declared.contains($0) }
            let missing = declared.filter { !columns.contains($0) }
            let values: [(String, JSONValue)] = [
                ("unexpected_count", .int(extra.count + missing.count)),
                ("unexpected_columns", .array(extra.map(JSONValue.string))),
                ("missing_columns", .array(missing.map(JSONValue.string))),
            ]
            if extra.isEmpty && missing.isEmpty { return CheckResult(verdict: .passed, values: values) }
            var parts: [String] = []
            if !extra.isEmpty { parts.append("unexpected column\(extra.count == 1 ? "" : "s") \(extra.map { "'\($0)'" }.joined(separator: ", "))") }
            if !missing.isEmpty {
                parts.append("missing column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", "))")
            }
            return CheckResult(verdict: .failed(parts.joined(separator: "; ")), values: values)
        case .exists:
            return CheckResult(verdict: .passed, values: [("element_count", .int(rows))])
        }
    }
}
