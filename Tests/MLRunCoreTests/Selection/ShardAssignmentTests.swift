import Foundation
import MLRunCore
import Testing

@Suite struct ShardAssignmentTests {
    static func ids(_ count: Int, suite: String = "s") -> [TestID] {
        (0..<count).map { TestID(suite: suite, name: "test_\($0)") }
    }

    /// Durations drawn deterministically from a log-normal-like distribution (Box–Muller
    /// over SplitMix64), every 13th ten times longer.
    static func skewedDurations(_ ids: [TestID]) -> [String: Double] {
        var durations: [String: Double] = [:]
        var state: UInt64 = 7
        func uniform() -> Double {
            state = Seeds.splitmix64(state)
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        for (i, id) in ids.enumerated() {
            let normal = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
            durations[id.description] = exp(0.5 * normal) * (i % 13 == 5 ? 10 : 1)
        }
        return durations
    }

    static let strategies: [ShardStrategy] = [.hash, .duration]

    @Test(arguments: strategies, 1...4)
    func shardsAreDisjointAndCoverEveryTest(strategy: ShardStrategy, total: Int) throws {
        let all = Self.ids(25)
        let durations = Self.skewedDurations(all)
        var union = Set<TestID>()
        for index in 1...total {
            let shard = ShardAssignment.assign(ids: all, spec: try ShardSpec(index: index, total: total, strategy: strategy), durations: durations)
            #expect(union.isDisjoint(with: shard))
            union.formUnion(shard)
        }
        #expect(union == Set(all))
    }

    @Test func hashShardIsFNV1aOfTheIdModuloTheTotal() throws {
        let id = TestID(suite: "churn-quality", name: "roc_auc")
        #expect(ShardAssignment.hashShard(of: id, total: 4) == Int(Seeds.fnv1a64("churn-quality::roc_auc") % 4) + 1)
        #expect(ShardAssignment.hashShard(of: id, total: 1) == 1)
    }

    @Test(arguments: 2...5)
    func hashShardsDoNotMoveWhenOtherTestsComeAndGo(total: Int) throws {
        let before = Self.ids(60)
        let after = Array(before.dropFirst(10).filter { $0.name.hasSuffix("7") == false }) + Self.ids(30, suite: "new")
        let old = ShardAssignment.shards(ids: before, total: total, strategy: .hash, durations: [:])
        let new = ShardAssignment.shards(ids: after, total: total, strategy: .hash, durations: [:])
        for id in after where old[id] != nil {
            #expect(old[id] == new[id], "\(id) moved from shard \(old[id]!) to \(new[id]!)")
        }
    }

    @Test(arguments: 2...4)
    func durationShardsAreBalanced(total: Int) {
        let all = Self.ids(40)
        let durations = Self.skewedDurations(all)
        let shards = ShardAssignment.shards(ids: all, total: total, strategy: .duration, durations: durations)
        var load = [Double](repeating: 0, count: total + 1)
        for id in all { load[shards[id]!] += durations[id.description]! }
        let mean = durations.values.reduce(0, +) / Double(total)
        let longest = durations.values.max()!
        #expect(longest < mean, "the test data must allow a balanced split")
        #expect(load.max()! <= 1.15 * mean, "loads \(load.dropFirst()) against a mean of \(mean)")
    }

    @Test func unknownDurationsCountAsTheMedianOfTheKnownOnes() {
        // Known: 9, 3, 1 (median 3); "d" unknown counts 3. LPT: a(9)→1, b(3)→2, d(3)→2, c(1)→2.
        let ids = ["a", "b", "c", "d"].map { TestID(suite: "s", name: $0) }
        let durations = ["s::a": 9.0, "s::b": 3, "s::c": 1, "elsewhere::x": 1000]
        let shards = ShardAssignment.shards(ids: ids, total: 2, strategy: .duration, durations: durations)
        #expect(shards == [ids[0]: 1, ids[1]: 2, ids[3]: 2, ids[2]: 2])
    }

    static let degenerate: [(name: String, durations: @Sendable (TestID) -> Double?)] = [
        ("all zero", { _ in 0 }),
        ("all unknown", { _ in nil }),
        ("one huge, the rest zero", { $0.name == "test_0" ? 1e9 : 0 }),
        ("invalid values", { $0.name == "test_1" ? -.infinity : .nan }),
    ]

    @Test(arguments: degenerate.indices, 1...5)
    func noShardIsEmptyWithAtLeastAsManyTestsAsShards(degenerateIndex: Int, total: Int) throws {
        for count in [total, total + 1, 3 * total] {
            let all = Self.ids(count)
            var durations: [String: Double] = [:]
            for id in all { durations[id.description] = Self.degenerate[degenerateIndex].durations(id) }
            let shards = ShardAssignment.shards(ids: all, total: total, strategy: .duration, durations: durations)
            #expect(Set(shards.values) == Set(1...total), "\(Self.degenerate[degenerateIndex].name), \(count) tests")
            #expect(shards.count == count)
        }
    }

    @Test func durationShardsDoNotDependOnTheInputOrderOrRepeats() {
        let all = Self.ids(30)
        let durations = Self.skewedDurations(all)
        let forward = ShardAssignment.shards(ids: all, total: 3, strategy: .duration, durations: durations)
        let backward = ShardAssignment.shards(ids: all.reversed() + all.prefix(5), total: 3, strategy: .duration, durations: durations)
        #expect(forward == backward)
    }
}
