import Foundation
import Testing

@testable import MLRunStats

@Suite struct BinnedProportionsTests {
    @Test func psiAndJensenShannonMatchTheNumpyDefinition() throws {
        let fixture = try StatsFixture.loaded.get()
        for c in fixture.binned {
            let outcome: Computed<BinnedProportions>
            if c.kind == "numeric" {
                outcome = try BinnedProportions.numeric(reference: c.reference!, current: c.current!)
            } else {
                outcome = BinnedProportions.categorical(try CategoryCounts(reference: c.referenceCategories!, current: c.currentCategories!))
            }
            let bins = try #require(outcome.value, "\(c.name): \(outcome)")
            if let edges = c.edges {
                // Edges are the same doubles as NumPy's (the interpolation is evaluated alike).
                #expect(bins.bins == .numeric(edges: edges), "\(c.name)")
                #expect(bins.referenceCounts == c.referenceCounts && bins.currentCounts == c.currentCounts, "\(c.name)")
            }
            #expect(agreesWithScipy(bins.populationStabilityIndex, c.psi), "\(c.name): PSI \(bins.populationStabilityIndex) vs \(c.psi)")
            #expect(agreesWithScipy(bins.jensenShannonDistance, c.js), "\(c.name): JS \(bins.jensenShannonDistance) vs \(c.js)")
        }
    }

    @Test func emptyAndNonFiniteInputs() throws {
        #expect(try BinnedProportions.numeric(reference: [1, 2], current: []).value == nil)
        #expect(throws: StatsInputError.infinite(sample: .reference, index: 1)) {
            try BinnedProportions.numeric(reference: [1, .infinity], current: [1])
        }
    }

    @Test func quantilesAreNumpysLinearQuantiles() throws {
        // np.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
        let q = try #require(Quantiles.linear(sorted: [1, 2, 3, 4], at: [0, 0.25, 0.5, 0.9, 1]))
        #expect(q == [1, 1.75, 2.5, 3.7, 4])
        #expect(Quantiles.linear(sorted: [], at: [0.5]) == nil)
        #expect(Quantiles.linear(sorted: [1], at: [1.5]) == nil)
    }
}
