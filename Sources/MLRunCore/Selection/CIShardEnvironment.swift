/// A shard taken from the environment rather than from `--shard`: which one, and which
/// variables said so (for the "taking shard 2/4 from …" line mlrun prints).
package struct CIShardDetection: Equatable, Sendable, CustomStringConvertible {
    /// The shard's 1-based position, whatever base the CI system counts from.
    package var index: Int
    /// The number of shards.
    package var total: Int
    /// Who set the variables: `MLRUN_SHARD`, `GitLab`, `Buildkite`, `CircleCI` or `Bazel`.
    package var system: String
    /// The variables read, e.g. `CI_NODE_INDEX/CI_NODE_TOTAL` or `MLRUN_SHARD`.
    package var variables: String
    /// Under Bazel, the path in `TEST_SHARD_STATUS_FILE`, if set: the caller must create
    /// (touch) this file to tell Bazel that mlrun honours sharding.
    package var bazelStatusFile: String?

    /// A detection; `index` is 1-based and must lie in `1...total`.
    package init(index: Int, total: Int, system: String, variables: String, bazelStatusFile: String? = nil) {
        self.index = index
        self.total = total
        self.system = system
        self.variables = variables
        self.bazelStatusFile = bazelStatusFile
    }

    /// The shard as a `ShardSpec`, dealt out by `strategy`.
    package func spec(strategy: ShardStrategy = .hash) -> ShardSpec {
        ShardSpec(checkedIndex: index, total: total, strategy: strategy)
    }

    /// `shard 2/4 from GitLab (CI_NODE_INDEX/CI_NODE_TOTAL)`.
    package var description: String {
        system == variables ? "shard \(index)/\(total) from \(variables)" : "shard \(index)/\(total) from \(system) (\(variables))"
    }
}

/// Reads the shard a CI system assigned to this job from its environment variables.
///
/// The sources, in the order they are read; the first that is set decides:
///
/// | system | index variable | total variable | index counts from |
/// |---|---|---|---|
/// | mlrun | `MLRUN_SHARD=K/N` | | 1 |
/// | GitLab (`parallel:`) | `CI_NODE_INDEX` | `CI_NODE_TOTAL` | 1 |
/// | Buildkite (`parallelism:`) | `BUILDKITE_PARALLEL_JOB` | `BUILDKITE_PARALLEL_JOB_COUNT` | 0 |
/// | CircleCI (`parallelism:`) | `CIRCLE_NODE_INDEX` | `CIRCLE_NODE_TOTAL` | 0 |
/// | Bazel (`shard_count`) | `TEST_SHARD_INDEX` | `TEST_TOTAL_SHARDS` | 0 |
///
/// Rules:
/// - A pair counts only when both variables are set; a variable set to the empty string
///   counts as unset. (GitLab sets `CI_NODE_TOTAL=1` and no index in jobs without
///   `parallel:`; that is not a shard.)
/// - A set value that is not a whole number, or an index outside the range its system
///   counts in, is a `ShardSpecError` naming the variable and its value.
/// - One shard in all means no sharding. `MLRUN_SHARD=1/1` says so explicitly and ends the
///   search (a way to switch off the CI's sharding); a CI pair with a total of 1 is the
///   system's default for an unsharded job and is passed over, so that, say, CircleCI's
///   ever-present `CIRCLE_NODE_TOTAL=1` does not hide a Bazel shard.
/// - Bazel's `TEST_SHARD_STATUS_FILE` is passed on only with a Bazel shard.
package enum CIShardEnvironment {
    /// One CI system's pair of shard variables.
    package struct Convention: Sendable, Equatable {
        /// The system's name, for messages.
        package var system: String
        /// The variable holding this job's shard index.
        package var indexVariable: String
        /// The variable holding the number of shards.
        package var totalVariable: String
        /// What the first shard's index is: 0 or 1.
        package var firstIndex: Int
    }

    /// The variable that names a shard the way `--shard` does, `K/N`.
    package static let mlrunVariable = "MLRUN_SHARD"

    /// Bazel's "I support sharding" file.
    package static let bazelStatusFileVariable = "TEST_SHARD_STATUS_FILE"

    /// The CI pairs in the order they are read, after `MLRUN_SHARD`.
    package static let conventions: [Convention] = [
        // GitLab: "CI_NODE_INDEX — Index of the job in the job set", counted from 1.
        Convention(system: "GitLab", indexVariable: "CI_NODE_INDEX", totalVariable: "CI_NODE_TOTAL", firstIndex: 1),
        // Buildkite: BUILDKITE_PARALLEL_JOB is the job's index in its parallel step, from 0.
        Convention(system: "Buildkite", indexVariable: "BUILDKITE_PARALLEL_JOB", totalVariable: "BUILDKITE_PARALLEL_JOB_COUNT", firstIndex: 0),
        // CircleCI: CIRCLE_NODE_INDEX "ranges from 0 to (CIRCLE_NODE_TOTAL - 1)".
        Convention(system: "CircleCI", indexVariable: "CIRCLE_NODE_INDEX", totalVariable: "CIRCLE_NODE_TOTAL", firstIndex: 0),
        // Bazel's test encyclopedia: TEST_SHARD_INDEX counts from 0.
        Convention(system: "Bazel", indexVariable: "TEST_SHARD_INDEX", totalVariable: "TEST_TOTAL_SHARDS", firstIndex: 0),
    ]

    /// The shard the environment assigns to this job, converted to 1-based; nil when none
    /// does (or when the one that decides says there is only one shard).
    package static func detect(_ environment: [String: String]) throws(ShardSpecError) -> CIShardDetection? {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }

        if let text = value(mlrunVariable) {
            let spec: ShardSpec
            do throws(ShardSpecError) {
                spec = try ShardSpec.parse(text)
            } catch {
                throw ShardSpecError(variable: mlrunVariable, value: text, problem: error.problem)
            }
            guard spec.total > 1 else { return nil }
            return CIShardDetection(index: spec.index, total: spec.total, system: mlrunVariable, variables: mlrunVariable)
        }

        for convention in conventions {
            guard let indexText = value(convention.indexVariable), let totalText = value(convention.totalVariable) else { continue }
            guard let total = ShardSpec.wholeNumber(Substring(totalText)), total >= 1 else {
                throw ShardSpecError(
                    variable: convention.totalVariable, value: totalText,
                    problem: "expected the number of shards, a whole number of at least 1")
            }
            let first = convention.firstIndex
            let last = first + total - 1
            guard let index = ShardSpec.wholeNumber(Substring(indexText)), (first...last).contains(index) else {
                throw ShardSpecError(
                    variable: convention.indexVariable, value: indexText,
                    problem:
                        "expected a whole number from \(first) to \(last) (\(convention.system) counts shards from \(first), and \(convention.totalVariable) is \(total))"
                )
            }
            guard total > 1 else { continue }
            let statusFile = convention.system == "Bazel" ? value(bazelStatusFileVariable) : nil
            return CIShardDetection(
                index: index - first + 1, total: total, system: convention.system,
                variables: "\(convention.indexVariable)/\(convention.totalVariable)", bazelStatusFile: statusFile)
        }
        return nil
    }
}
