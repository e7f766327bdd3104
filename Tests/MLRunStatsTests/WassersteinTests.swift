import Foundation
import Testing

@testable import MLRunStats

@Suite struct WassersteinTests {
    @Test func distanceAndZScoreMatchScipyAndNumpy() throws {
        let fixture = try StatsFixture.loaded.get()
        for c in fixture.wasserstein {
            let w = try #require(try Wasserstein.distance(reference: c.reference, current: c.current).value, "\(c.name)")
            #expect(agreesWithScipy(w.distance, c.distance), "\(c.name): \(w.distance) vs \(c.distance)")
            #expect(agreesWithScipy(w.referenceStandardDeviation, c.referenceStd), "\(c.name)")
            if let normalized = c.normalized {
                #expect(agreesWithScipy(w.normalized.value ?? .nan, normalized), "\(c.name): \(w.normalized)")
            } else {
                #expect(w.normalized.undefinedReason?.contains("zero standard deviation") == true, "\(c.name)")
            }
            let z = try #require(try MeanShift.zScore(reference: c.reference, current: c.current).value)
            #expect(agreesWithScipy(z.zScore, c.zscore), "\(c.name): z \(z.zScore) vs \(c.zscore)")
        }
    }

    @Test func undefinedAndRejectedInputs() throws {
        #expect(try Wasserstein.distance(reference: [], current: [1]).undefinedReason != nil)
        #expect(try MeanShift.zScore(reference: [1], current: []).undefinedReason != nil)
        #expect(throws: StatsInputError.notANumber(sample: .current, index: 0)) {
            try MeanShift.zScore(reference: [1], current: [.nan])
        }
    }
}
