import Foundation
import Testing

@testable import MLRunStats

/// Decisions must equal statsmodels' exactly; adjusted p-values agree to 1e-12 absolute (they
/// are products and quotients of the inputs by small integers: a rounding or two).
@Suite struct MultipleTestingTests {
    @Test func matchesStatsmodels() throws {
        let fixture = try StatsFixture.loaded.get()
        for c in fixture.multitest {
            for method in MultipleTesting.Method.allCases {
                let expected = try #require(c.methods[method.rawValue])
                let got = try MultipleTesting.adjust(c.p, alpha: c.alpha, method: method)
                #expect(got.rejected == expected.reject, "\(method) α = \(c.alpha) p = \(c.p)")
                for (a, b) in zip(got.pValues, expected.adjusted) {
                    #expect(abs(a - b) <= 1e-12, "\(method) α = \(c.alpha): \(a) vs \(b)")
                }
            }
        }
    }

    @Test func rejectsInvalidInput() {
        #expect(throws: StatsInputError.invalidPValue(index: 1, value: 1.5)) {
            try MultipleTesting.adjust([0.1, 1.5], alpha: 0.05, method: .holm)
        }
        #expect(throws: StatsInputError.invalidAlpha(0)) {
            try MultipleTesting.adjust([0.1], alpha: 0, method: .bonferroni)
        }
        #expect((try? MultipleTesting.adjust([], alpha: 0.05, method: .benjaminiHochberg)) == MultipleTesting.Adjusted(pValues: [], rejected: []))
    }
}
