import Testing

@testable import MLRunData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `NumberParsing.double` against the C library's `strtod`, bit for bit.
@Suite struct NumberParsingTests {
    // MARK: Hard cases

    /// 2^1024 − 2^970, halfway from the largest double to 2^1024: the least value that overflows.
    static let overflowBoundary =
        "1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490179775872070"
        + "9633028641669288791094655554785194040263065748867150582068190890200070838367627385484581771153176447"
        + "5730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904"
        + "174497792"

    static let hardCases: [String] = [
        // Zeros.
        "0", "-0", "+0", "0.0", "-0.0", "0e0", "-0e-5", "00000", "0.000000000000000000000000000000",
        "0e99999999999999999999", "-0e-99999999999999999999",
        // Subnormals and the underflow boundary (half the smallest subnormal is 2.4703282292062327208...e-324).
        "4.9406564584124654e-324", "5e-324", "-5e-324", "1e-323", "3e-324", "1e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324",
        "2.47032822920623272088e-324", "2.47032822920623272089e-324",
        "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818e-324",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
        "4.4501477170144023e-308", "1e-310", "1.5e-320", "9.8813129168249309e-324",
        // Largest double and the overflow boundary (1.797693134862315807937...e308).
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1.797693134862315807e308", "1.797693134862315808e308", "-1.7976931348623159e308",
        "17976931348623157e292", overflowBoundary, String(overflowBoundary.dropLast()) + "1",
        "8.98846567431158e307", "8.98846567431157953864652595394512366e307", "1e308", "1e309",
        // 2^53 neighbourhood: ties to even at 2^53 + 1 and 2^53 + 3.
        "9007199254740991", "9007199254740992", "9007199254740993", "9007199254740994",
        "9007199254740995", "9007199254740993.0000000000000000001", "9007199254740992.9999999999999999999",
        "9007199254740993.00000000000000000000000000000000000000000000000000000000000000000001",
        // Exact ties with a fraction (decimal exponents −1 to −4) and just off them.
        "4503599627370496.5", "4503599627370497.5", "2251799813685248.25", "1125899906842624.125",
        "562949953421312.0625", "562949953421312.0624", "562949953421312.0626",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        // Integer ties up to 10^23.
        "18014398509481986", "18014398509481990", "36028797018963970", "1e23", "99999999999999991611392",
        "9007199254740993e7", "90071992547409930000000",
        // Familiar values and both fast-path edges.
        "0.1", "0.2", "0.3", "-12.5", "3.14159265358979", "1e-05", "12345", "0.123456",
        "1e22", "1e-22", "123456789e-22", "9007199254740992e22", "9007199254740993e22", "1e37", "123e35",
        "9007199254740992e15", "1e38", "4.35e-5", "7.2057594037927933e16",
        // Exponents far out of range.
        "1e-400", "1e+400", "-1e400", "1e99999999999999999999", "-1e99999999999999999999",
        "1e-99999999999999999999", "1e-342", "1e-343", "9.9999999999999999999e-343", "1e308", "1e-308",
        // Leading and trailing zeros.
        "000000000000000000000000000000123.456", "123.456000000000000000000000000000",
        "0.000000000000000000000000000000000000123", "100000000000000000000000000000000000000000000000000e-50",
        "0.00000000000000000000000000000000000000000000001", "1.0000000000000000000000000000000000e0",
        "0000000000000000000000.0000000000000000000000000000000000000000000000000000000001e30",
        // Long significands.
        "123456789012345678901234567890", "12345678901234567890", "1234567890123456789",
        "9999999999999999999", "10000000000000000000", "18446744073709551615", "18446744073709551616",
        "0.1000000000000000055511151231257827021181583404541015625",
        "0.1000000000000000055511151231257827021181583404541015624",
        // Syntax corners that are numbers.
        "1.", ".5", "+.5e-3", "-.5E+3", "1E5", "1e0005", "-1.e2", "+1",
        // Not finite.
        "nan", "NaN", "-nan", "+NAN", "inf", "-Inf", "INFINITY", "-infinity", "+inf",
    ]

    @Test(arguments: hardCases)
    func hardCaseMatchesStrtod(_ text: String) {
        let parsed = parse(text)
        #expect(parsed != nil)
        #expect(parsed?.bitPattern == strtodReference(text)?.bitPattern)
    }

    @Test func knownValues() {
        #expect(parse("-0")?.bitPattern == (-0.0).bitPattern)
        #expect(parse("9007199254740993") == 9_007_199_254_740_992)
        #expect(parse("9007199254740995") == 9_007_199_254_740_996)
        #expect(parse("1.7976931348623158e308") == .greatestFiniteMagnitude)
        #expect(parse("1.7976931348623159e308") == .infinity)
        #expect(parse("4.9406564584124654e-324") == .leastNonzeroMagnitude)
        #expect(parse("2.4703282292062327e-324") == 0)
        #expect(parse("2.4703282292062328e-324") == .leastNonzeroMagnitude)
        #expect(parse("1e99999999999999999999") == .infinity)
        #expect(parse("-1e-99999999999999999999")?.bitPattern == (-0.0).bitPattern)
        #expect(parse("+.5e-3") == 0.0005)
        #expect(parse("-nan")?.isNaN == true)
        #expect(parse(Self.overflowBoundary) == .infinity)
        #expect(parse(String(Self.overflowBoundary.dropLast()) + "1") == .greatestFiniteMagnitude)
        #expect(parse("1.00000000000000011102230246251565404236316680908203125") == 1)
        #expect(parse("1.00000000000000011102230246251565404236316680908203126") == 1.0.nextUp)
    }

    /// Long significands of 20 to 800 digits, on and around ties, with exponents across the range.
    @Test func longInputsMatchStrtod() {
        var random = SplitMix64(seed: 0x5EED_0002)
        var inputs: [String] = []
        for length in [20, 21, 25, 40, 100, 300, 799, 800] {
            for _ in 0..<40 {
                var digits = String(Character(Unicode.Scalar(UInt8(49 + random.next() % 9))))
                for _ in 1..<length { digits.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
                let point = Int(random.next() % UInt64(length + 1))
                digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point))
                inputs.append(digits)
                inputs.append(digits + "e\(Int(random.next() % 700) - 350)")
            }
        }
        // Exact ties written in full, then pushed just above or kept on them by what follows a run of zeros.
        var ties = ["9007199254740993.", "4503599627370496.5", "1.00000000000000011102230246251565404236316680908203125"]
        #if arch(x86_64) && !os(Windows)
        // Half the smallest subnormal, and halfway from the largest double to 2^1024, exactly.
        ties.append(format("%.1100Lf", Float80(Double.leastNonzeroMagnitude) / 2))
        ties.append(format("%.0Lf", Float80(Double.greatestFiniteMagnitude) + Float80(Double.greatestFiniteMagnitude.ulp) / 2) + ".")
        #endif
        for tie in ties {
            for zeros in [0, 3, 20, 200, 760] {
                for tail in ["", "1", "01", "5", "49", "51", "0"] {
                    let text = tie + String(repeating: "0", count: zeros) + tail
                    inputs.append(text)
                    inputs.append("-" + text)
                }
            }
        }
        #expect(mismatches(inputs).isEmpty)
    }

    // MARK: Random inputs

    /// Seeded random doubles in four spellings: Swift's shortest, `%.17g`, `%.6f`, `%.3e`.
    @Test func randomDoublesMatchStrtod() {
        var random = SplitMix64(seed: 0x5EED_0001)
        var inputs: [String] = []
        inputs.reserveCapacity(240_000)
        for n in 0..<60_000 {
            let value = randomDouble(&random, shape: n % 4)
            inputs.append("\(value)")
            inputs.append(format("%.17g", value))
            inputs.append(format("%.6f", value))
            inputs.append(format("%.3e", value))
        }
        #expect(mismatches(inputs).isEmpty)
    }

    /// Random decimal strings: 1 to 30 digits, a point anywhere, an exponent or none.
    @Test func randomDecimalsMatchStrtod() {
        var random = SplitMix64(seed: 0x5EED_0003)
        var inputs: [String] = []
        for _ in 0..<80_000 {
            let count = 1 + Int(random.next() % 30)
            var text = random.next() % 4 == 0 ? "-" : ""
            for _ in 0..<count { text.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
            if random.next() % 3 != 0 {
                let point = Int(random.next() % UInt64(count + 1))
                let offset = text.hasPrefix("-") ? 1 : 0
                text.insert(".", at: text.index(text.startIndex, offsetBy: offset + point))
            }
            if random.next() % 2 == 0 { text += "e\(Int(random.next() % 700) - 350)" }
            inputs.append(text)
        }
        #expect(mismatches(inputs).isEmpty)
    }

    #if arch(x86_64) && !os(Windows)
    /// Exact midpoints between neighbouring doubles (computed in Float80), written in full and cut
    /// short, and the Float80 values just either side: the cases where rounding to even matters.
    @Test func midpointsMatchStrtod() {
        var random = SplitMix64(seed: 0x5EED_0004)
        var inputs: [String] = []
        for n in 0..<8_000 {
            let value = randomDouble(&random, shape: n % 4)
            let next = value.nextUp
            guard next.isFinite else { continue }
            let midpoint = (Float80(value) + Float80(next)) / 2
            inputs.append(format("%.800Lg", midpoint))
            inputs.append(format("%.800Lg", midpoint.nextUp))
            inputs.append(format("%.800Lg", midpoint.nextDown))
            inputs.append(format("%.19Lg", midpoint))
            inputs.append(format("%.25Lg", midpoint))
        }
        #expect(mismatches(inputs).isEmpty)
    }
    #endif

    /// Random strings over digits and the syntax's other bytes, plus near-digits (`/`, `:`) that
    /// test the eight-byte digit check: `nil` exactly when an independent syntax check says no,
    /// and strtod's bits otherwise.
    @Test func randomBytesAgreeWithSyntaxAndStrtod() {
        var random = SplitMix64(seed: 0x5EED_0005)
        let alphabet = Array("0123456789012345678901234567890123456789..eE+-/: nNaAiIfF".utf8)
        var wrong: [String] = []
        for _ in 0..<60_000 {
            let count = 1 + Int(random.next() % 24)
            let bytes = (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let text = String(decoding: bytes, as: UTF8.self)
            let parsed = bytes.withUnsafeBufferPointer { NumberParsing.double($0) }
            let expected = isNumberSyntax(bytes) ? strtodReference(text) : nil
            if parsed?.bitPattern != expected?.bitPattern, wrong.count < 10 {
                wrong.append("\(text): \(String(describing: parsed)) vs \(String(describing: expected))")
            }
        }
        #expect(wrong.isEmpty)
    }

    // MARK: Rejection

    @Test(arguments: [
        "", "-", "+", ".", "-.", "+.", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", " 1", "1 ", "1\t", "0x10", "0X1p3",
        "nan(1)", "nan()", "infinit", "infinityy", "in", "na", "1_000", "1,5", "--1", "+-1", "1e5.5", "1ee5",
        "1e5e5", "e", "E", "1d", "1f", "0b1", "١", "１", "1é", "\u{00A0}1",
        // Eight-byte runs with one near-digit in them.
        "0.1234567/", "0.123:5678", "0.12345678:", "0.1234567 ", "1.2345678e", "0.1234\u{7F}678", "0.@1234567",
    ])
    func rejectsText(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test(arguments: [[0xFF], [0x31, 0xFF], [0x31, 0x00], [0x00], [0xC3, 0xA9], [0x31, 0x2E, 0x80], [0xEF, 0xBC, 0x91]] as [[UInt8]])
    func rejectsBytes(_ bytes: [UInt8]) {
        #expect(bytes.withUnsafeBufferPointer { NumberParsing.double($0) } == nil)
    }

    // MARK: The powers-of-five table

    @Test func powersOfFiveTableIsNormalisedAndExactWhereClaimed() {
        let table = NumberParsing.powersOfFive
        #expect(table.count == 2 * (NumberParsing.largestPowerOfFive - NumberParsing.smallestPowerOfFive + 1))
        for index in stride(from: 0, to: table.count, by: 2) { #expect(table[index] >> 63 == 1) }
        var power: UInt64 = 1
        for q in 0...27 {
            let index = 2 * (q - NumberParsing.smallestPowerOfFive)
            #expect(table[index] == power << power.leadingZeroBitCount && table[index + 1] == 0, "5^\(q)")
            if q < 27 { power *= 5 }
        }
        // For −27 ≤ q < 0 the entry is ⌈2^k / 5^−q⌉: times 5^−q it lands in [2^k, 2^k + 5^−q).
        power = 1
        for n in 1...27 {
            power *= 5
            let index = 2 * (-n - NumberParsing.smallestPowerOfFive)
            let low = table[index + 1].multipliedFullWidth(by: power)
            let high = table[index].multipliedFullWidth(by: power)
            let (middle, carry) = high.low.addingReportingOverflow(low.high)
            let top = high.high + (carry ? 1 : 0)
            // The product is 2^k + r with 0 <= r < 5^n < 2^63: a single bit in `top`, zero `middle`.
            #expect(top.nonzeroBitCount == 1 && middle == 0 && low.low < power, "5^-\(n)")
        }
    }

    // MARK: int64

    @Test(
        arguments: [
            ("0", 0), ("+0", 0), ("-0", 0), ("7", 7), ("-7", -7), ("007", 7), ("-000000000000000000000000042", -42),
            ("9223372036854775807", .max), ("-9223372036854775808", .min), ("+9223372036854775807", .max),
            ("0009223372036854775807", .max), ("-0009223372036854775808", .min), ("000000000000000000000", 0),
            ("-0000000000000000000000000", 0), ("00000000000000000001", 1),
            ("-0000000000000000000009223372036854775808", .min), ("1234567890123456789", 1_234_567_890_123_456_789),
        ] as [(String, Int64)])
    func int64Parses(_ text: String, _ expected: Int64) {
        #expect(parseInt64(text) == expected)
    }

    @Test(arguments: [
        "", "-", "+", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "99999999999999999999", "10000000000000000000", "00000000000000000000009223372036854775808", "1.0", "1e3", " 1", "1 ", "--1", "0x10", "1_000",
        "١",
    ])
    func int64Rejects(_ text: String) {
        #expect(parseInt64(text) == nil)
    }

    /// Random signed digit strings, zero-padded or not, against the standard library's `Int64(_:)`.
    @Test func int64MatchesStandardLibrary() {
        var random = SplitMix64(seed: 0x5EED_0006)
        var wrong: [String] = []
        for _ in 0..<50_000 {
            let signs = ["", "-", "+"]
            var text = signs[Int(random.next() % 3)] + String(repeating: "0", count: Int(random.next() % 4) * Int(random.next() % 8))
            for _ in 0..<Int(random.next() % 22) { text.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
            if parseInt64(text) != Int64(text), wrong.count < 10 { wrong.append(text) }
        }
        #expect(wrong.isEmpty)
    }

    // MARK: Helpers

    /// The accepted syntax, checked the plain way: sign, then nan/inf/infinity, or a significand
    /// with at least one digit and at most one point, then optionally e, a sign and digits.
    func isNumberSyntax(_ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        let word = String(decoding: rest, as: UTF8.self).lowercased()
        if word == "nan" || word == "inf" || word == "infinity" { return true }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let exponentAt = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let significand = rest[..<(exponentAt ?? rest.endIndex)]
        guard significand.contains(where: isDigit),
            significand.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }),
            significand.filter({ $0 == UInt8(ascii: ".") }).count <= 1
        else { return false }
        guard let exponentAt else { return true }
        var exponent = rest[(exponentAt + 1)...]
        if let first = exponent.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy(isDigit)
    }

    func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { NumberParsing.double($0) }
    }

    func parseInt64(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { NumberParsing.int64($0) }
    }

    /// glibc's `strtod` over the whole string; `nil` unless it reads every byte.
    func strtodReference(_ text: String) -> Double? {
        text.withCString { start in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            return end.map { UnsafePointer($0) == start + strlen(start) } == true ? value : nil
        }
    }

    /// The inputs whose parse differs from `strtod`'s bits, each with both results, at most ten.
    func mismatches(_ inputs: [String]) -> [String] {
        var found: [String] = []
        for text in inputs {
            let parsed = parse(text)
            let expected = strtodReference(text)
            if parsed == nil || parsed?.bitPattern != expected?.bitPattern {
                found.append("\(text): \(String(describing: parsed)) vs strtod \(String(describing: expected))")
                if found.count == 10 { break }
            }
        }
        return found
    }

    /// A random finite positive double of one of four shapes: any bits, subnormal, an integer
    /// times a small power of two, or a magnitude between 1e-16 and 1e16.
    func randomDouble(_ random: inout SplitMix64, shape: Int) -> Double {
        let fraction = random.next() & 0x000F_FFFF_FFFF_FFFF
        switch shape {
        case 0: return Double(bitPattern: random.next() % 0x7FF0_0000_0000_0000)
        case 1: return Double(bitPattern: fraction)
        case 2:
            let integer = Double(1 + random.next() % (1 << 53))
            return integer * Double(sign: .plus, exponent: Int(random.next() % 80) - 20, significand: 1)
        default: return Double(bitPattern: (0x3CA + random.next() % 0x6B) << 52 | fraction)
        }
    }

    func format(_ format: String, _ value: any CVarArg) -> String {
        var buffer = [CChar](repeating: 0, count: 1_200)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator, so failures replay.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
