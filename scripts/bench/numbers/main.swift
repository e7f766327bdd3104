// Micro-benchmark: NumberParsing.double versus the copy + strtod path on five typical CSV
// field shapes. Build and run with scripts/bench/numbers/run.sh (release, whole module).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fields laid end to end in one buffer, as a CSV reader sees them.
struct Fields {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        ends.append(bytes.count)
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014), so every run parses the same fields.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func digits(_ value: UInt64, width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

let distinct = 1_000_000
let passes = 10
var random = SplitMix64(state: 42)
let shapes: [(String, (inout SplitMix64) -> String)] = [
    ("0.123456", { r in "0." + digits(r.next() % 1_000_000, width: 6) }),
    ("-12.5", { r in "-\(10 + r.next() % 90).\(r.next() % 10)" }),
    ("3.14159265358979", { r in "\(Double(r.next() >> 11) / Double(1 << 53) * 10)" }),
    ("1e-05", { r in "\(1 + r.next() % 9)e-0\(1 + r.next() % 9)" }),
    ("12345", { r in "\(10_000 + r.next() % 90_000)" }),
]

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// Nanoseconds per field over `passes` passes, the best of three runs, and a checksum.
@inline(__always)
func measure(_ fields: Fields, _ parse: (UnsafeBufferPointer<UInt8>) -> Double?) -> (Double, Double) {
    var best = Double.infinity
    var sum = 0.0
    fields.bytes.withUnsafeBufferPointer { bytes in
        fields.ends.withUnsafeBufferPointer { ends in
            for _ in 0..<3 {
                let start = now()
                sum = 0
                for _ in 0..<passes {
                    var begin = 0
                    for end in ends {
                        sum += parse(UnsafeBufferPointer(rebasing: bytes[begin..<end])) ?? .nan
                        begin = end
                    }
                }
                best = min(best, (now() - start) / Double(passes * ends.count) * 1e9)
            }
        }
    }
    return (best, sum)
}

print("shape                 fast ns/field  strtod ns/field  speed-up  (\(passes) x \(distinct) fields)")
for (name, make) in shapes {
    var fields = Fields()
    for _ in 0..<distinct { fields.append(make(&random)) }
    let (fast, fastSum) = measure(fields) { NumberParsing.double($0) }
    let (slow, slowSum) = measure(fields) { NumberParsing.strtodFallback($0) }
    precondition(fastSum.bitPattern == slowSum.bitPattern, "results differ for \(name)")
    let padded = name + String(repeating: " ", count: max(0, 20 - name.count))
    print("\(padded)  \(String(format2: fast))          \(String(format2: slow))           \(String(format2: slow / fast))x")
}

/// The previous int64: one pass, with overflow checks on every digit, for comparison.
func checkedInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    var negative = false
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
        negative = bytes[i] == UInt8(ascii: "-")
        i += 1
    }
    guard i < bytes.count else { return nil }
    var value: Int64 = 0
    while i < bytes.count {
        let digit = bytes[i] &- 48
        guard digit < 10 else { return nil }
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = times.subtractingReportingOverflow(Int64(digit))
        guard !o1, !o2 else { return nil }
        value = next
        i += 1
    }
    if negative { return value }
    return value == .min ? nil : -value
}

print("")
print("int64 shape           new ns/field   checked ns/field")
for (name, make) in [
    ("12345", { (r: inout SplitMix64) in "\(10_000 + r.next() % 90_000)" }),
    ("-1234567890123", { (r: inout SplitMix64) in "-\(1_000_000_000_000 + r.next() % 9_000_000_000_000)" }),
] {
    var fields = Fields()
    for _ in 0..<distinct { fields.append(make(&random)) }
    let (fast, fastSum) = measure(fields) { NumberParsing.int64($0).map(Double.init) }
    let (slow, slowSum) = measure(fields) { checkedInt64($0).map(Double.init) }
    precondition(fastSum.bitPattern == slowSum.bitPattern, "results differ for \(name)")
    let padded = name + String(repeating: " ", count: max(0, 20 - name.count))
    print("\(padded)  \(String(format2: fast))           \(String(format2: slow))")
}

extension String {
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        self = "\(hundredths / 100)." + digits(UInt64(hundredths % 100), width: 2)
    }
}
