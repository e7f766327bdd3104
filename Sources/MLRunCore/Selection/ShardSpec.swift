/// How tests are dealt out to shards (`--shard-by`).
package enum ShardStrategy: String, Sendable, CaseIterable {
    /// By a stable hash of the test id: adding or removing other tests never moves a test.
    case hash
    /// By the durations stored with `--store-durations`, so every shard takes about as long.
    case duration
}

/// One shard of a run (`--shard K/N`, 1-based): the K-th of N disjoint shards whose union is
/// the whole selection.
///
/// `index` and `total` can only be set through the validating initialiser or `parse`, so a
/// `ShardSpec` always has `1 ≤ index ≤ total`.
package struct ShardSpec: Equatable, Sendable, CustomStringConvertible {
    /// The shard's 1-based position, K.
    package let index: Int
    /// The number of shards, N.
    package let total: Int
    /// How tests are dealt out to the shards.
    package var strategy: ShardStrategy

    /// A shard from its parts; throws unless `1 ≤ index ≤ total`.
    package init(index: Int, total: Int, strategy: ShardStrategy = .hash) throws(ShardSpecError) {
        guard total >= 1, (1...total).contains(index) else {
            throw ShardSpecError(variable: nil, value: "\(index)/\(total)", problem: ShardSpecError.expectedKOfN)
        }
        self.init(checkedIndex: index, total: total, strategy: strategy)
    }

    /// Reads `K/N`: two whole numbers in plain decimal digits, `1 ≤ K ≤ N`, nothing else
    /// (no spaces, no signs).
    package static func parse(_ text: String, strategy: ShardStrategy = .hash) throws(ShardSpecError) -> ShardSpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = wholeNumber(parts[0]), let total = wholeNumber(parts[1]),
            total >= 1, (1...total).contains(index)
        else {
            throw ShardSpecError(variable: nil, value: text, problem: ShardSpecError.expectedKOfN)
        }
        return ShardSpec(checkedIndex: index, total: total, strategy: strategy)
    }

    /// For callers that have already checked `1 ≤ index ≤ total`.
    init(checkedIndex index: Int, total: Int, strategy: ShardStrategy) {
        self.index = index
        self.total = total
        self.strategy = strategy
    }

    /// `K/N`, as `--shard` takes it.
    package var description: String { "\(index)/\(total)" }

    /// A non-empty run of ASCII digits that fits an `Int`; nil for anything else.
    static func wholeNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}

/// A bad shard: a `--shard` argument, `MLRUN_SHARD`, or a CI system's shard variables that
/// are malformed or out of range.
///
/// Rendered as `expected K/N with 1 ≤ K ≤ N, got '5/4'`, or, when the value came from the
/// environment, prefixed with the variable's name: `CI_NODE_INDEX: expected … got '0'`.
package struct ShardSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable the value came from; nil for a command-line argument.
    package var variable: String?
    /// The offending text, exactly as given.
    package var value: String
    /// What was expected, e.g. `expected K/N with 1 ≤ K ≤ N`.
    package var problem: String

    /// An error about `value` (from `variable`, if it came from the environment).
    package init(variable: String?, value: String, problem: String) {
        self.variable = variable
        self.value = value
        self.problem = problem
    }

    /// The message, naming the variable (if any), what was expected and what was found.
    package var description: String {
        let text = "\(problem), got '\(value)'"
        guard let variable else { return text }
        return "\(variable): \(text)"
    }

    static let expectedKOfN = "expected K/N with 1 ≤ K ≤ N"
}
