// Reads the samples file drift_stats.py writes (little-endian: Int64 n1, Int64 n2, then n1 + n2
// float64 values), then times `KolmogorovSmirnov.test` on it: one warm-up, then `runs` timed
// calls (the file read is not timed). Prints one JSON object: sizes, D, p, method, times in ms.
import Foundation
import MLRunStats

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stats-bench samples.bin [runs]\n".utf8))
    exit(2)
}
let runs = arguments.count >= 3 ? Int(arguments[2]) ?? 5 : 5
guard let data = FileManager.default.contents(atPath: arguments[1]), data.count >= 16 else {
    FileHandle.standardError.write(Data("cannot read \(arguments[1])\n".utf8))
    exit(1)
}
let readStarted = ContinuousClock.now
let (reference, current): ([Double], [Double]) = data.withUnsafeBytes { raw in
    let n1 = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self)))
    let n2 = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
    func values(_ offset: Int, _ count: Int) -> [Double] {
        (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 + 8 * (offset + $0), as: UInt64.self))) }
    }
    return (values(0, n1), values(n1, n2))
}
let readTime = ContinuousClock.now - readStarted

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

var result: KolmogorovSmirnov?
var times = [Double]()
for run in 0...runs {
    let started = ContinuousClock.now
    let outcome = try KolmogorovSmirnov.test(reference: reference, current: current)
    let elapsed = ContinuousClock.now - started
    result = outcome.value
    if run > 0 { times.append(milliseconds(elapsed)) }
}
guard let result else {
    FileHandle.standardError.write(Data("KS undefined\n".utf8))
    exit(1)
}
let json: [String: Any] = [
    "n1": reference.count, "n2": current.count, "statistic": result.statistic, "p_value": result.pValue,
    "method": result.method.rawValue, "ms": times, "read_ms": milliseconds(readTime),
]
let output = try JSONSerialization.data(withJSONObject: json)
print(String(decoding: output, as: UTF8.self))
