import MLRunCore
import Testing

@Suite struct CIShardEnvironmentTests {
    /// An environment, and the 1-based shard, system and variables it should yield (nil: none).
    struct Case: CustomTestStringConvertible, Sendable {
        var environment: [String: String]
        var expected: (index: Int, total: Int, system: String, variables: String)?
        var testDescription: String { environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
    }

    static let detected: [Case] = [
        Case(environment: [:], expected: nil),
        Case(environment: ["PATH": "/bin"], expected: nil),
        Case(environment: ["MLRUN_SHARD": "2/4"], expected: (2, 4, "MLRUN_SHARD", "MLRUN_SHARD")),
        // GitLab counts from 1.
        Case(environment: ["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"], expected: (1, 3, "GitLab", "CI_NODE_INDEX/CI_NODE_TOTAL")),
        Case(environment: ["CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"], expected: (3, 3, "GitLab", "CI_NODE_INDEX/CI_NODE_TOTAL")),
        // Buildkite, CircleCI and Bazel count from 0.
        Case(
            environment: ["BUILDKITE_PARALLEL_JOB": "0", "BUILDKITE_PARALLEL_JOB_COUNT": "5"],
            expected: (1, 5, "Buildkite", "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT")),
        Case(
            environment: ["BUILDKITE_PARALLEL_JOB": "4", "BUILDKITE_PARALLEL_JOB_COUNT": "5"],
            expected: (5, 5, "Buildkite", "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT")),
        Case(environment: ["CIRCLE_NODE_INDEX": "1", "CIRCLE_NODE_TOTAL": "2"], expected: (2, 2, "CircleCI", "CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL")),
        Case(environment: ["TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "3"], expected: (1, 3, "Bazel", "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")),
        // Only a full pair counts; GitLab's unsharded jobs have CI_NODE_TOTAL=1 and no index.
        Case(environment: ["CI_NODE_TOTAL": "1"], expected: nil),
        Case(environment: ["CI_NODE_TOTAL": "4"], expected: nil),
        Case(environment: ["CIRCLE_NODE_INDEX": "2"], expected: nil),
        Case(environment: ["CI_NODE_INDEX": "", "CI_NODE_TOTAL": "4"], expected: nil),
        Case(environment: ["MLRUN_SHARD": ""], expected: nil),
        // One shard in all is no sharding.
        Case(environment: ["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "1"], expected: nil),
        Case(environment: ["CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "1"], expected: nil),
        Case(environment: ["TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "1"], expected: nil),
        Case(environment: ["MLRUN_SHARD": "1/1"], expected: nil),
        // MLRUN_SHARD first, even 1/1, which switches the CI's sharding off.
        Case(environment: ["MLRUN_SHARD": "3/3", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"], expected: (3, 3, "MLRUN_SHARD", "MLRUN_SHARD")),
        Case(environment: ["MLRUN_SHARD": "1/1", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"], expected: nil),
        // Then GitLab, Buildkite, CircleCI, Bazel.
        Case(
            environment: ["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "2", "CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "3"],
            expected: (2, 2, "GitLab", "CI_NODE_INDEX/CI_NODE_TOTAL")),
        Case(
            environment: ["BUILDKITE_PARALLEL_JOB": "1", "BUILDKITE_PARALLEL_JOB_COUNT": "2", "TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "3"],
            expected: (2, 2, "Buildkite", "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT")),
        // A CI's "one shard" default does not hide the next system's shard.
        Case(
            environment: ["CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "1", "TEST_SHARD_INDEX": "2", "TEST_TOTAL_SHARDS": "3"],
            expected: (3, 3, "Bazel", "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS")),
    ]

    @Test(arguments: detected)
    func detects(_ testCase: Case) throws {
        let detection = try CIShardEnvironment.detect(testCase.environment)
        if let expected = testCase.expected {
            let found = try #require(detection)
            #expect(found.index == expected.index)
            #expect(found.total == expected.total)
            #expect(found.system == expected.system)
            #expect(found.variables == expected.variables)
            #expect(found.bazelStatusFile == nil)
            #expect(found.spec(strategy: .duration) == (try ShardSpec(index: expected.index, total: expected.total, strategy: .duration)))
        } else {
            #expect(detection == nil)
        }
    }

    static let malformed: [(environment: [String: String], message: String)] = [
        (["MLRUN_SHARD": "5/4"], "MLRUN_SHARD: expected K/N with 1 ≤ K ≤ N, got '5/4'"),
        (["MLRUN_SHARD": "two"], "MLRUN_SHARD: expected K/N with 1 ≤ K ≤ N, got 'two'"),
        (
            ["CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"],
            "CI_NODE_INDEX: expected a whole number from 1 to 4 (GitLab counts shards from 1, and CI_NODE_TOTAL is 4), got '0'"
        ),
        (
            ["CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "4"],
            "CI_NODE_INDEX: expected a whole number from 1 to 4 (GitLab counts shards from 1, and CI_NODE_TOTAL is 4), got '5'"
        ),
        (["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "four"], "CI_NODE_TOTAL: expected the number of shards, a whole number of at least 1, got 'four'"),
        (
            ["BUILDKITE_PARALLEL_JOB": "3", "BUILDKITE_PARALLEL_JOB_COUNT": "3"],
            "BUILDKITE_PARALLEL_JOB: expected a whole number from 0 to 2 (Buildkite counts shards from 0, and BUILDKITE_PARALLEL_JOB_COUNT is 3), got '3'"
        ),
        (
            ["CIRCLE_NODE_INDEX": "-1", "CIRCLE_NODE_TOTAL": "2"],
            "CIRCLE_NODE_INDEX: expected a whole number from 0 to 1 (CircleCI counts shards from 0, and CIRCLE_NODE_TOTAL is 2), got '-1'"
        ),
        (
            ["TEST_SHARD_INDEX": "0", "TEST_TOTAL_SHARDS": "0"],
            "TEST_TOTAL_SHARDS: expected the number of shards, a whole number of at least 1, got '0'"
        ),
        (
            ["TEST_SHARD_INDEX": " 1", "TEST_TOTAL_SHARDS": "2"],
            "TEST_SHARD_INDEX: expected a whole number from 0 to 1 (Bazel counts shards from 0, and TEST_TOTAL_SHARDS is 2), got ' 1'"
        ),
        // A malformed pair is an error even when its total says "one shard".
        (
            ["CIRCLE_NODE_INDEX": "1", "CIRCLE_NODE_TOTAL": "1"],
            "CIRCLE_NODE_INDEX: expected a whole number from 0 to 0 (CircleCI counts shards from 0, and CIRCLE_NODE_TOTAL is 1), got '1'"
        ),
    ]

    @Test(arguments: malformed)
    func malformedVariablesAreErrorsNamingThem(environment: [String: String], message: String) {
        #expect {
            try CIShardEnvironment.detect(environment)
        } throws: { error in
            (error as? ShardSpecError)?.description == message
        }
    }

    @Test func passesOnBazelsStatusFileWithABazelShardOnly() throws {
        let bazel = try #require(
            try CIShardEnvironment.detect(
                ["TEST_SHARD_INDEX": "1", "TEST_TOTAL_SHARDS": "2", "TEST_SHARD_STATUS_FILE": "/tmp/bazel/shard-status"]))
        #expect(bazel.bazelStatusFile == "/tmp/bazel/shard-status")
        #expect(bazel.description == "shard 2/2 from Bazel (TEST_SHARD_INDEX/TEST_TOTAL_SHARDS)")
        let gitlab = try #require(
            try CIShardEnvironment.detect(
                ["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2", "TEST_SHARD_STATUS_FILE": "/tmp/bazel/shard-status"]))
        #expect(gitlab.bazelStatusFile == nil)
    }

    @Test func describesWhereTheShardCameFrom() throws {
        let mlrun = try #require(try CIShardEnvironment.detect(["MLRUN_SHARD": "2/4"]))
        #expect(mlrun.description == "shard 2/4 from MLRUN_SHARD")
    }
}
