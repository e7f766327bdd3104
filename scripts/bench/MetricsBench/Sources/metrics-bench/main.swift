// Reads predictions.csv (label,score,prediction; one header line), then times mlrun's
// roc_auc, average_precision, log_loss and f1 on it: one warm-up, then --runs timed calls of
// each, each call building the `Classification` from the arrays and computing one metric (the
// file read is not timed). Prints one JSON object: rows, each metric's value and times in ms.
import Foundation
import MLRunMetrics

struct Columns {
    var labels: [Int] = []
    var scores: [Double] = []
    var predictions: [Int] = []
}

/// Parses the three-column CSV the benchmark script writes.
func readColumns(_ path: String) throws -> Columns {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var columns = Columns()
    let estimate = data.count / 12
    columns.labels.reserveCapacity(estimate)
    columns.scores.reserveCapacity(estimate)
    columns.predictions.reserveCapacity(estimate)
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var i = 0
        while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }  // header
        i += 1
        var field = [CChar](repeating: 0, count: 64)
        while i < bytes.count {
            // label
            var label = 0
            while bytes[i] != UInt8(ascii: ",") { label = label * 10 + Int(bytes[i] &- 48); i += 1 }
            i += 1
            // score, through strtod for exact rounding
            var n = 0
            while bytes[i] != UInt8(ascii: ",") { field[n] = CChar(bitPattern: bytes[i]); n += 1; i += 1 }
            field[n] = 0
            let score = field.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
            i += 1
            var prediction = 0
            while i < bytes.count && bytes[i] != UInt8(ascii: "\n") {
                if bytes[i] != UInt8(ascii: "\r") { prediction = prediction * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            i += 1
            columns.labels.append(label)
            columns.scores.append(score)
            columns.predictions.append(prediction)
        }
    }
    return columns
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: metrics-bench predictions.csv [runs]\n".utf8))
    exit(2)
}
let runs = arguments.count >= 3 ? Int(arguments[2]) ?? 5 : 5
let readStart = ContinuousClock.now
let columns = try readColumns(arguments[1])
let readMs = milliseconds(ContinuousClock.now - readStart)

let metrics: [(String, () throws -> Computed<Double>)] = [
    ("roc_auc", { try Classification(yTrue: columns.labels, scores: .positiveClass(columns.scores)).rocAUC() }),
    ("average_precision", { try Classification(yTrue: columns.labels, scores: .positiveClass(columns.scores)).averagePrecision() }),
    ("log_loss", { try Classification(yTrue: columns.labels, scores: .positiveClass(columns.scores)).logLoss() }),
    ("f1", { try Classification(yTrue: columns.labels, yPred: columns.predictions).f1() }),
]

var report: [String: Any] = ["rows": columns.labels.count, "read_ms": readMs, "runs": runs]
var results: [String: Any] = [:]
let clock = ContinuousClock()
for (name, metric) in metrics {
    _ = try metric()  // warm-up: page in the arrays, fill caches
    var times: [Double] = []
    var computed = Computed<Double>.undefined("not run")
    for _ in 0..<runs {
        let start = clock.now
        computed = try metric()
        times.append(milliseconds(clock.now - start))
    }
    results[name] = ["value": computed.value as Any, "undefined": computed.value == nil ? computed.description : nil as String?, "ms": times]
        .compactMapValues { $0 }
}
// The cost of building the input alone (validation and label encoding), inside every figure above.
var buildTimes: [Double] = []
for _ in 0..<runs {
    let start = clock.now
    _ = try Classification(yTrue: columns.labels, scores: .positiveClass(columns.scores))
    buildTimes.append(milliseconds(clock.now - start))
}
report["metrics"] = results
report["build_classification_ms"] = buildTimes
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
