import Foundation
import Testing

@testable import MLRunStats

/// Special functions against 40-digit mpmath (chi-square, Kolmogorov) and SciPy (smirnov, whose
/// values the fixture script checks against the exact mpmath sum for n ≤ 2000; kstwo, whose
/// asymptotic regions are SciPy's own approximations). Tolerance 1e-10 relative for every value
/// above 1e-300 (the brief's requirement for the special functions).
@Suite struct SpecialFunctionsTests {
    @Test func chiSquareSurvivalMatchesMpmath() throws {
        let fixture = try StatsFixture.loaded.get()
        var worst = 0.0
        for v in fixture.chi2Sf {
            let got = SpecialFunctions.chiSquareSurvival(v.x, degreesOfFreedom: v.k)
            #expect(relativelyClose(got, v.sf, 1e-10), "k = \(v.k), x = \(v.x): \(got) vs \(v.sf)")
            worst = max(worst, relativeError(got, v.sf))
        }
        print("chi2.sf vs mpmath: max relative error \(worst)")
    }

    @Test func kolmogorovSurvivalMatchesMpmath() throws {
        let fixture = try StatsFixture.loaded.get()
        for v in fixture.kolmogorov where v.sf > 1e-300 {
            let got = SpecialFunctions.kolmogorovSurvival(v.x)
            #expect(relativelyClose(got, v.sf, 1e-10), "x = \(v.x): \(got) vs \(v.sf)")
        }
    }

    @Test func smirnovSurvivalMatchesScipy() throws {
        let fixture = try StatsFixture.loaded.get()
        var worst = 0.0
        for v in fixture.smirnov {
            let got = SpecialFunctions.smirnovSurvival(v.n, v.x)
            #expect(relativelyClose(got, v.sf, 1e-10), "n = \(v.n), x = \(v.x): \(got) vs \(v.sf)")
            worst = max(worst, relativeError(got, v.sf))
        }
        print("smirnov vs scipy: max relative error \(worst)")
    }

    @Test func kolmogorovSmirnovSurvivalMatchesScipyKstwo() throws {
        let fixture = try StatsFixture.loaded.get()
        var worst = 0.0
        for v in fixture.kstwo {
            let got = SpecialFunctions.kolmogorovSmirnovSurvival(v.n, v.x)
            #expect(relativelyClose(got, v.sf, 1e-10), "n = \(v.n), x = \(v.x): \(got) vs \(v.sf)")
            worst = max(worst, relativeError(got, v.sf))
        }
        print("kstwo.sf vs scipy: max relative error \(worst)")
    }

    @Test func edgesAreDefinedValues() {
        #expect(SpecialFunctions.chiSquareSurvival(0, degreesOfFreedom: 3) == 1)
        #expect(SpecialFunctions.chiSquareSurvival(-1, degreesOfFreedom: 3) == 1)
        #expect(SpecialFunctions.chiSquareSurvival(1, degreesOfFreedom: 0).isNaN)
        #expect(SpecialFunctions.kolmogorovSmirnovSurvival(10, 1) == 0)
        #expect(SpecialFunctions.kolmogorovSmirnovSurvival(10, 0) == 1)
        #expect(SpecialFunctions.kolmogorovSurvival(0) == 1)
    }
}
