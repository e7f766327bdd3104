import MLRunCore
import Testing

@Suite struct ShardSpecTests {
    @Test(arguments: [("1/1", 1, 1), ("2/4", 2, 4), ("4/4", 4, 4), ("10/12", 10, 12), ("03/4", 3, 4)])
    func parsesKOfN(text: String, index: Int, total: Int) throws {
        let spec = try ShardSpec.parse(text)
        #expect(spec.index == index)
        #expect(spec.total == total)
        #expect(spec.strategy == .hash)
        #expect(spec.description == "\(index)/\(total)")
    }

    @Test func keepsTheStrategyGiven() throws {
        #expect(try ShardSpec.parse("2/4", strategy: .duration).strategy == .duration)
        #expect(try ShardSpec(index: 1, total: 3, strategy: .duration) == ShardSpec.parse("1/3", strategy: .duration))
    }

    @Test(arguments: [
        "", "2", "2/", "/4", "0/4", "5/4", "2/0", "0/0", "-1/4", "+1/4", " 2/4", "2/4 ", "2/4/6",
        "a/b", "2.0/4", "2:4", "１/４", "99999999999999999999/1",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(throws: ShardSpecError(variable: nil, value: text, problem: "expected K/N with 1 ≤ K ≤ N")) {
            try ShardSpec.parse(text)
        }
    }

    @Test func messagesQuoteTheTextAndNameTheVariable() {
        let plain = ShardSpecError(variable: nil, value: "5/4", problem: "expected K/N with 1 ≤ K ≤ N")
        #expect(plain.description == "expected K/N with 1 ≤ K ≤ N, got '5/4'")
        let fromEnvironment = ShardSpecError(variable: "MLRUN_SHARD", value: "5/4", problem: "expected K/N with 1 ≤ K ≤ N")
        #expect(fromEnvironment.description == "MLRUN_SHARD: expected K/N with 1 ≤ K ≤ N, got '5/4'")
    }

    @Test(arguments: [(0, 4), (5, 4), (1, 0), (-1, 3)])
    func initialiserChecksTheRange(index: Int, total: Int) {
        #expect(throws: ShardSpecError.self) { try ShardSpec(index: index, total: total) }
    }
}
