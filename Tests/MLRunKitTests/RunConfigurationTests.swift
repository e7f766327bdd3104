import MLRunCore
import Testing

@testable import MLRunKit

/// The command line is checked as a whole before the config is read.
@Suite struct RunConfigurationTests {
    func configuration(
        _ arguments: [String], environment: [String: String] = [:], gpus: [String] = [],
        terminal: Bool = false
    ) throws -> RunConfiguration {
        let command = try RunCommand.parse(arguments)
        return try RunConfiguration(
            command: command, arguments: arguments, environment: environment, cpus: 6, gpus: gpus,
            isTerminal: { _ in terminal })
    }

    func usageError(_ arguments: [String], environment: [String: String] = [:], gpus: [String] = []) -> String? {
        do {
            _ = try configuration(arguments, environment: environment, gpus: gpus)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "not a usage error: \(error)"
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var environment: [String: String] = [:]
        var gpus: [String] = []
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        Refusal(arguments: ["--shard", "5/4"], message: "--shard: "),
        Refusal(arguments: ["--explain"], message: "--explain goes with --collect-only"),
        Refusal(arguments: ["--gpus-per-worker", "1"], message: "--gpus-per-worker needs -n"),
        Refusal(
            arguments: ["-n", "2", "--gpus-per-worker", "2"], gpus: ["0", "1", "2"],
            message: "--gpus-per-worker 2 with 2 workers needs 4 GPUs; 3 are visible (0,1,2)"),
        Refusal(arguments: ["-m", "a and"], message: "wrong expression passed to '-m': a and: at column 6: "),
        Refusal(arguments: ["-k", "only(a=1)"], message: "wrong expression passed to '-k': keyword expressions do not support call parameters"),
        Refusal(arguments: [], environment: ["CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "2"], message: "CI_NODE_INDEX"),
    ])
    func refusals(_ refusal: Refusal) {
        let message = usageError(refusal.arguments, environment: refusal.environment, gpus: refusal.gpus)
        #expect(message?.hasPrefix(refusal.message) == true || message?.contains(refusal.message) == true, "\(message ?? "accepted")")
    }

    @Test func workersResolveAutoAndTheRestartBudget() throws {
        let auto = try configuration(["-n", "auto"])
        #expect(auto.workers?.count == 6)
        #expect(auto.workers?.maxRestarts == 24)
        let two = try configuration(["-n", "2", "--max-worker-restart", "1", "--dist", "suite"])
        #expect(two.workers?.count == 2)
        #expect(two.workers?.maxRestarts == 1)
        #expect(two.workers?.distribution == .suite)
        #expect(try configuration([]).workers == nil)
    }

    @Test func theShardComesFromTheFlagOrTheCI() throws {
        let flag = try configuration(["--shard", "2/3", "--shard-by", "duration"], environment: ["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"])
        #expect(flag.shard?.spec == (try ShardSpec(index: 2, total: 3, strategy: .duration)))
        #expect(flag.shard?.source == nil)
        let ci = try configuration([], environment: ["CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"])
        #expect(ci.shard?.spec.description == "1/2")
        #expect(ci.shard?.source == "CI_NODE_INDEX/CI_NODE_TOTAL")
    }

    @Test func markerAndKeywordExpressions() throws {
        let given = try configuration(["-m", "not slow", "-k", "  rolling"])
        #expect(given.marker?.text == "not slow")
        #expect(given.keyword?.text == "rolling")
        #expect(given.markerGiven)
        let empty = try configuration(["-m", ""])
        #expect(empty.marker == nil)
        #expect(empty.markerGiven)
        #expect(try configuration([]).markerGiven == false)
    }

    @Test func exitFirstIsMaxfailOne() throws {
        #expect(try configuration(["-x"]).maxFail == 1)
        #expect(try configuration(["--maxfail", "3"]).maxFail == 3)
        #expect(try configuration([]).maxFail == nil)
    }

    @Test func colourFollowsTheTerminalAndNoColor() throws {
        #expect(try configuration([], terminal: true).colour)
        #expect(try configuration([], terminal: false).colour == false)
        #expect(try configuration([], environment: ["NO_COLOR": "1"], terminal: true).colour == false)
        #expect(try configuration(["--color", "yes"]).colour)
    }
}
