import Foundation
import MLRunData

/// A predictions file read into arrays: the true class, the scores, the predicted class, and
/// each segment or sensitive column as codes of its distinct values.
///
/// Binary (`score`): `truth` is 1 where the label equals `positive`, else 0; the prediction
/// is the `prediction` column compared with `positive`, or score ≥ `threshold`. Multiclass
/// (`scores`): labels are class indices 0…k−1 (class i's probability is `scores[i]`); the
/// prediction is the `prediction` column, or the argmax (the first on ties, as numpy).
struct Predictions: Sendable {
    var rows = 0
    var classCount = 2
    var truth: [Int] = []
    /// Binary: the positive-class probability; multiclass: row-major, `classCount` per row.
    var scores: [Double] = []
    var hasScores = false
    var predicted: [Int] = []
    /// Per grouping column (segments and the sensitive attribute): codes, and the values.
    var groups: [String: (codes: [Int32], values: [String])] = [:]

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ spec: QualitySpec, file: URL, displayPath: String) throws -> Predictions {
        let groupColumns = Array(Set(spec.segments + (spec.sensitive.map { [$0] } ?? []))).sorted()
        let wanted = [spec.label] + (spec.score.map { [$0] } ?? []) + spec.scores + (spec.prediction.map { [$0] } ?? []) + groupColumns
        var result = Predictions()
        result.classCount = spec.scores.isEmpty ? 2 : spec.scores.count
        result.hasScores = spec.score != nil || !spec.scores.isEmpty
        var dictionaries: [String: [String: Int32]] = [:]
        var values: [String: [String]] = [:]
        var codes: [String: [Int32]] = [:]
        var failure: Problem?

        let consume: (RecordBatch, [Int]) -> Void = { batch, index in
            guard failure == nil else { return }
            for row in 0..<batch.rowCount {
                func text(_ column: Int) -> String { batch.string(row: row, column: index[column]) }
                func number(_ column: Int, _ name: String) -> Double? {
                    guard let bytes = batch.field(row: row, column: index[column]), let value = NumberParsing.double(bytes), value.isFinite else {
                        failure = Problem(description: "\(displayPath): line \(batch.lines[row]): '\(name)' is not a finite number: '\(text(column))'")
                        return nil
                    }
                    return value
                }
                var column = 1
                // The true class.
                let label = text(0)
                if spec.scores.isEmpty {
                    result.truth.append(label == spec.positive ? 1 : 0)
                } else {
                    guard let klass = Int(label), klass >= 0, klass < result.classCount else {
                        failure = Problem(description: "\(displayPath): line \(batch.lines[row]): label '\(label)' is not a class index 0…\(result.classCount - 1) (one per 'scores' column)")
                        return
                    }
                    result.truth.append(klass)
                }
                var best = 0
                if let name = spec.score {
                    guard let p = number(column, name) else { return }
                    result.scores.append(p)
                    best = p >= spec.threshold ? 1 : 0
                    column += 1
                } else if !spec.scores.isEmpty {
                    var top = -Double.infinity
                    for k in 0..<spec.scores.count {
                        guard let p = number(column + k, spec.scores[k]) else { return }
                        result.scores.append(p)
                        if p > top { top = p; best = k }
                    }
                    column += spec.scores.count
                }
                if spec.prediction != nil {
                    let predicted = text(column)
                    if spec.scores.isEmpty {
                        result.predicted.append(predicted == spec.positive ? 1 : 0)
                    } else {
                        guard let klass = Int(predicted), klass >= 0, klass < result.classCount else {
                            failure = Problem(description: "\(displayPath): line \(batch.lines[row]): prediction '\(predicted)' is not a class index 0…\(result.classCount - 1)")
                            return
                        }
                        result.predicted.append(klass)
                    }
                    column += 1
                } else {
                    result.predicted.append(best)
                }
                for name in groupColumns {
                    let value = text(column)
                    column += 1
                    if let code = dictionaries[name]?[value] {
                        codes[name, default: []].append(code)
                    } else {
                        let code = Int32(values[name, default: []].count)
                        dictionaries[name, default: [:]][value] = code
                        values[name, default: []].append(value)
                        codes[name, default: []].append(code)
                    }
                }
                result.rows += 1
            }
        }

        switch file.pathExtension.lowercased() {
        case "jsonl", "ndjson":
            let reader = JSONLinesReader(path: file.path, displayPath: displayPath, columns: wanted)
            try reader.read(work: { _ in 0 }, consume: { batch, _ in consume(batch, Array(0..<wanted.count)) })
            for name in wanted where !reader.keys.contains(name) {
                throw Problem(description: "\(displayPath): no column '\(name)'")
            }
        default:
            var options = CSVOptions(delimiter: spec.delimiter)
            options.parallel = true
            let reader = try CSVReader(path: file.path, displayPath: displayPath, options: options)
            var index: [Int] = []
            for name in wanted {
                guard let at = reader.header.firstIndex(of: name) else {
                    throw Problem(description: "\(displayPath): no column '\(name)' (its columns: \(reader.header.joined(separator: ", ")))")
                }
                index.append(at)
            }
            let frozen = index
            try reader.read(work: { _ in 0 }, consume: { batch, _ in consume(batch, frozen) })
        }
        if let failure { throw failure }
        if result.rows == 0 { throw Problem(description: "\(displayPath): no rows") }
        for name in groupColumns {
            result.groups[name] = (codes[name] ?? [], values[name] ?? [])
        }
        return result
    }

    /// The rows of one group value, as a new set of predictions.
    func subset(_ rowsToKeep: [Int]) -> Predictions {
        var part = Predictions()
        part.rows = rowsToKeep.count
        part.classCount = classCount
        part.hasScores = hasScores
        part.truth = rowsToKeep.map { truth[$0] }
        part.predicted = rowsToKeep.map { predicted[$0] }
        if hasScores {
            let width = classCount == 2 && scores.count == rows ? 1 : classCount
            part.scores.reserveCapacity(rowsToKeep.count * width)
            for row in rowsToKeep { part.scores.append(contentsOf: scores[(row * width)..<(row * width + width)]) }
        }
        for (name, group) in groups {
            part.groups[name] = (rowsToKeep.map { group.codes[$0] }, group.values)
        }
        return part
    }
}
