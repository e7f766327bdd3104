import Foundation
import Testing

@testable import MLRunStats

@Suite struct KolmogorovSmirnovTests {
    @Test func matchesScipyOnEveryFixtureCase() throws {
        let fixture = try StatsFixture.loaded.get()
        #expect(fixture.ks.contains { $0.method == "exact" } && fixture.ks.contains { $0.method == "asymptotic" })
        var worstStatistic = 0.0, worstP = 0.0
        for testCase in fixture.ks {
            let outcome = try KolmogorovSmirnov.test(reference: testCase.reference, current: testCase.current)
            let result = try #require(outcome.value, "\(testCase.name): \(outcome)")
            #expect(agreesWithScipy(result.statistic, testCase.statistic), "\(testCase.name): D \(result.statistic) vs \(testCase.statistic)")
            #expect(agreesWithScipy(result.pValue, testCase.pValue), "\(testCase.name): p \(result.pValue) vs \(testCase.pValue)")
            #expect(result.method.rawValue == testCase.method, "\(testCase.name)")
            #expect(result.effectSize == result.statistic)
            worstStatistic = max(worstStatistic, abs(result.statistic - testCase.statistic))
            if testCase.pValue > 1e-300 { worstP = max(worstP, relativeError(result.pValue, testCase.pValue)) }
        }
        print("KS vs scipy: max |ΔD| = \(worstStatistic), max relative Δp = \(worstP)")
    }

    @Test func isSymmetricInTheTwoSamples() throws {
        let a: [Double] = [0.1, 2.5, 3, 3, 7, -1, 4.25]
        let b: [Double] = [3, 3, 9, 0.5, 1, 2]
        let ab = try #require(try KolmogorovSmirnov.test(reference: a, current: b).value)
        let ba = try #require(try KolmogorovSmirnov.test(reference: b, current: a).value)
        #expect(ab.statistic == ba.statistic && ab.pValue == ba.pValue)
    }

    @Test func emptySampleIsUndefinedWithAReason() throws {
        let outcome = try KolmogorovSmirnov.test(reference: [], current: [1, 2])
        #expect(outcome.undefinedReason == "the Kolmogorov–Smirnov test needs two non-empty samples; got 0 reference and 2 current values")
    }

    @Test func nanIsRejectedWithItsIndex() {
        #expect(throws: StatsInputError.notANumber(sample: .current, index: 2)) {
            try KolmogorovSmirnov.test(reference: [1, 2], current: [1, 2, .nan])
        }
        #expect(throws: StatsInputError.notANumber(sample: .reference, index: 0)) {
            try KolmogorovSmirnov.test(reference: [.nan], current: [1])
        }
    }

    @Test func exactBandProbabilityEqualsTheReflectionSumForEqualSizes() {
        // Two independent derivations of P(D ≥ h/n) for n1 = n2 must agree.
        for n in [3, 10, 57, 400] {
            for h in [2, 3, n / 3, n / 2, n] where h >= 1 {
                let band = KolmogorovSmirnov.bandExitProbability(n, n, n, h)
                let reflection = KolmogorovSmirnov.equalSizesOutsideProbability(n, h)
                #expect(relativelyClose(band, reflection, 1e-11), "n = \(n), h = \(h): \(band) vs \(reflection)")
            }
        }
    }
}
