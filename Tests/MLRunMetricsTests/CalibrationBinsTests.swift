import Testing
@testable import MLRunMetrics

@Suite struct CalibrationBinsTests {
    @Test func aProbabilityOnAnEdgeFallsInTheLowerBinAsSearchsortedLeft() {
        #expect(CalibrationBins.bin(of: 0) == 0)
        #expect(CalibrationBins.bin(of: 0.1) == 0)
        #expect(CalibrationBins.bin(of: 0.1.nextUp) == 1)
        // The fourth edge is 3 × 0.1 = 0.30000000000000004, so the literal 0.3 lies below it.
        #expect(CalibrationBins.bin(of: 0.3) == 2)
        #expect(CalibrationBins.bin(of: 0.30000000000000004) == 2)
        #expect(CalibrationBins.bin(of: 0.9) == 8)
        #expect(CalibrationBins.bin(of: 1) == 9)
    }

    @Test func eceWeighsEachNonEmptyBinsGapByItsShare() throws {
        // Bin 0: p 0.05, 0.05, y 0, 1 → gap |0.5 − 0.05| = 0.45, weight 1/2.
        // Bin 9: p 0.95, 0.95, y 1, 1 → gap 0.05, weight 1/2.
        let c = try Classification(yTrue: [0, 1, 1, 1], scores: .positiveClass([0.05, 0.05, 0.95, 0.95]), classes: [0, 1])
        #expect(abs((c.expectedCalibrationError().number ?? -1) - 0.25) < 1e-15)
        #expect(abs((c.maxCalibrationError().number ?? -1) - 0.45) < 1e-15)
    }

    @Test func probabilitiesOutsideTheUnitIntervalAreUndefined() throws {
        let c = try Classification(yTrue: [0, 1], scores: .positiveClass([0.5, 1.5]))
        guard case .undefined(let why) = c.expectedCalibrationError() else { Issue.record("expected undefined"); return }
        #expect(why.contains("row 1"))
    }
}
