import Testing

@testable import MLRunMetrics

@Suite struct RankedScoresTests {
    /// The Mann–Whitney U with midranks over all positive–negative pairs, O(P·N): the
    /// definition roc_auc must equal, ties counting one half.
    static func pairwiseAUC(_ labels: [Int32], _ scores: [Double]) -> Double {
        var wins = 0.0, pairs = 0.0
        for i in labels.indices where labels[i] == 1 {
            for j in labels.indices where labels[j] == 0 {
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
                pairs += 1
            }
        }
        return wins / pairs
    }

    static func ranked(_ labels: [Int32], _ scores: [Double]) -> RankedScores {
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { RankedScores(scores: s, labels: $0, positive: 1) }
        }
    }

    @Test(arguments: [(1, 40), (2, 400), (3, 3000)])
    func rocAreaEqualsPairwiseMannWhitney(seed: Int, count: Int) {
        var rng = SplitMix64(state: UInt64(seed))
        let labels = (0..<count).map { _ in Int32(rng.next() % 3 == 0 ? 1 : 0) }
        // Two decimals: ties within and across classes, in both the radix and the small path.
        let scores = labels.map { Double(Int(rng.next() % 60) + Int($0) * 15) / 100 }
        #expect(abs(Self.ranked(labels, scores).rocArea - Self.pairwiseAUC(labels, scores)) < 1e-12)
    }

    @Test func thresholdsVisitEachDistinctScoreOnceFromTheTop() {
        let labels: [Int32] = [1, 0, 1, 0, 1]
        let scores = [0.9, 0.9, 0.5, 0.2, -0.0]
        var points: [[Int]] = []
        Self.ranked(labels, scores).forEachThreshold { tp, fp in points.append([tp, fp]) }
        #expect(points == [[1, 1], [2, 1], [2, 2], [3, 2]])
    }

    @Test func averagePrecisionIsTheStepSumOverThresholds() {
        // sklearn's docstring example: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…
        let ranked = Self.ranked([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        #expect(abs(ranked.averagePrecision - 0.8333333333333333) < 1e-15)
        #expect(abs(ranked.rocArea - 0.75) < 1e-15)
    }

    /// Heavily tied scores (at most 65,536 distinct among 4,096 rows or more) are counted in a
    /// hashed pass instead of sorted; both ways give the same thresholds, AUC and AP.
    @Test(arguments: [(7, 5000, 50), (8, 20000, 3000), (9, 4096, 1)])
    func countedAndSortedRankingsAgree(seed: Int, count: Int, distinct: Int) {
        var rng = SplitMix64(state: UInt64(seed))
        let labels = (0..<count).map { _ in Int32(rng.next() % 4 == 0 ? 1 : 0) }
        let scores = labels.map { Double(Int(rng.next() % UInt64(distinct)) + Int($0) * distinct / 4) / Double(distinct) - 0.3 }
        func points(_ ranking: RankedScores) -> [[Int]] {
            var out: [[Int]] = []
            ranking.forEachThreshold { out.append([$0, $1]) }
            return out
        }
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { l in
                let counted = RankedScores(scores: s, labels: l, positive: 1)
                let sorted = RankedScores(scores: s, labels: l, positive: 1, distinctLimit: 0)
                #expect(points(counted) == points(sorted))
                if counted.positiveCount > 0 && counted.negativeCount > 0 {
                    #expect(counted.rocArea == sorted.rocArea)
                    #expect(counted.averagePrecision == sorted.averagePrecision)
                }
            }
        }
    }
}
