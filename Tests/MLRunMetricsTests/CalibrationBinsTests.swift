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
        #expect(abs((c.expectedCalibrationError().value ?? -1) - 0.25) < 1e-15)
        #expect(abs((c.maxCalibrationError().value ?? -1) - 0.45) < 1e-15)
    }

    @Test func probabilitiesOutsideTheUnitIntervalAreUndefined() throws {
        let c = try Classification(yTrue: [0, 1], scores: .positiveClass([0.5, 1.5]))
        guard case .undefined(let why) = c.expectedCalibrationError() else { Issue.record("expected undefined"); return }
        #expect(why.contains("row 1"))
    }

    @Test func theBinIsTheCountOfInnerEdgesBelowEvenOnAndNextToEdges() {
        func reference(_ p: Double) -> Int { CalibrationBins.edges[1..<CalibrationBins.binCount].count(where: { $0 < p }) }
        var probes: [Double] = [0, 1, 1.0.nextDown]
        for edge in CalibrationBins.edges { probes += [edge, edge.nextUp, edge.nextDown].filter { $0 >= 0 && $0 <= 1 } }
        var state: UInt64 = 12345
        for _ in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            probes.append(Double(state >> 11) / Double(1 << 53))
        }
        for p in probes { #expect(CalibrationBins.bin(of: p) == reference(p), "p = \(p)") }
    }
}
