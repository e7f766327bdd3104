import Foundation
import Testing

@testable import MLRunStats

/// Uniform and standard normal values from SplitMix64's bits, the normals by the Box–Muller
/// transform (1958).
extension SplitMix64 {
    /// Uniform in (0, 1): the top 53 bits, offset by half a step so 0 never occurs.
    mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal value (the cosine half of Box–Muller).
    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

@Suite struct FalseAlarmTests {
    /// Under H0 (both samples N(0, 1)) the KS test at α = 0.01 should fire on about 1 % of pairs
    /// (a little less: the exact test of discrete D is conservative). With 500 pairs, 0.2 %–2 %
    /// (1 to 10 alarms) holds for a correct test with probability about 98 %; the seed is fixed,
    /// so the count is deterministic and this checks the p-value's calibration end to end.
    @Test func ksFiresAtAboutAlphaUnderTheNullHypothesis() throws {
        var generator = SplitMix64(state: 2024)
        var alarms = 0
        let pairs = 500
        for _ in 0..<pairs {
            let reference = (0..<200).map { _ in generator.normal() }
            let current = (0..<300).map { _ in generator.normal() }
            let result = try #require(try KolmogorovSmirnov.test(reference: reference, current: current).value)
            if result.pValue < 0.01 { alarms += 1 }
        }
        let rate = Double(alarms) / Double(pairs)
        print("KS false-alarm rate at α = 0.01: \(alarms)/\(pairs) = \(rate)")
        #expect(rate >= 0.002 && rate <= 0.02, "\(alarms) alarms in \(pairs) null pairs")
    }
}
