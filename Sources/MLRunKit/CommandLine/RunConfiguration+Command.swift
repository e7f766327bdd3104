import Foundation
import MLRunCore

extension RunConfiguration {
    /// Checks `command` as a whole and resolves what the machine decides (`-n auto`, the
    /// visible GPUs, a CI's shard variables, colour on a terminal). Every problem is a
    /// `UsageError`; nothing here reads the config or starts a process.
    ///
    /// - Parameters:
    ///   - environment: the process's variables (CI shards, `NO_COLOR`, `CUDA_VISIBLE_DEVICES`).
    ///   - cpus: the CPUs this process may use, for `-n auto`.
    ///   - gpus: the GPUs visible to this process.
    ///   - isTerminal: whether a file descriptor is a terminal, for `--color auto`.
    init(
        command: RunCommand, arguments: [String], environment: [String: String], cpus: Int, gpus: [String],
        isTerminal: (Int32) -> Bool
    ) throws(UsageError) {
        self.arguments = arguments
        ids = command.ids
        configPath = command.config
        markerGiven = command.markExpression != nil
        marker = try Self.expression(command.markExpression, flag: "-m")
        let keywordText = command.keywordExpression.map { String($0.drop(while: { $0.isWhitespace })) }  // pytest: `str.lstrip()`
        keyword = try Self.expression(keywordText, flag: "-k")
        if let keyword, keyword.expression.identifiers.contains(where: { $0.hasKwargs }) {
            throw UsageError("wrong expression passed to '-k': keyword expressions do not support call parameters")
        }
        collectOnly = command.collectOnly
        explain = command.explain
        if explain && !collectOnly { throw UsageError("--explain goes with --collect-only") }
        reports = Reports(json: command.jsonReport, junitXML: command.junitXML, events: command.events)
        seed = command.seed ?? Seeds.randomRunSeed()
        timeout = command.timeout
        exitFirst = command.exitFirst
        maxFail = command.exitFirst ? 1 : command.maxfail
        durations = command.durations
        strictMarkers = command.strictMarkers
        listMarkers = command.markers
        verbosity = command.verbose ? .verbose : command.quiet ? .quiet : .normal
        let consoleDescriptor: Int32 = command.events == "-" ? 2 : 1
        switch command.color {
        case .yes: colour = true
        case .no: colour = false
        case .auto: colour = !(environment["NO_COLOR"].map { !$0.isEmpty } ?? false) && isTerminal(consoleDescriptor)
        }
        streamOutput = command.streamOutput
        reruns = command.reruns
        lastFailed = command.lastFailed ? .only : command.failedFirst ? .first : nil
        storeDurations = command.storeDurations
        updateBaselines = command.updateBaselines
        changes = command.changed ? .workingTree : command.changedSince.map { .since($0) }
        workers = try Self.workers(command, cpus: cpus, gpus: gpus)
        (shard, bazelStatusFile) = try Self.shard(command, environment: environment)
    }

    /// Parses a `-m`/`-k` expression; nil or empty means no filter (pytest's rule).
    static func expression(_ text: String?, flag: String) throws(UsageError) -> Expression? {
        guard let text, !text.isEmpty else { return nil }
        do throws(ExpressionError) {
            return Expression(expression: try MatchExpression.parse(text), text: text)
        } catch {
            throw UsageError("wrong expression passed to '\(flag)': \(text): at column \(error.column): \(error.message)")
        }
    }

    /// `-n`, `--dist`, `--max-worker-restart` and `--gpus-per-worker` together.
    private static func workers(_ command: RunCommand, cpus: Int, gpus: [String]) throws(UsageError) -> Workers? {
        guard let requested = command.workers else {
            if command.gpusPerWorker != nil { throw UsageError("--gpus-per-worker needs -n") }
            return nil
        }
        let count = requested == "auto" ? cpus : Int(requested) ?? 1
        if let k = command.gpusPerWorker, !gpus.isEmpty, gpus.count < k * count {
            throw UsageError(
                "--gpus-per-worker \(k) with \(count) workers needs \(k * count) GPUs; \(gpus.count) are visible (\(gpus.joined(separator: ",")))")
        }
        return Workers(
            count: count, distribution: command.dist, maxRestarts: command.maxWorkerRestart ?? 4 * count,
            gpusPerWorker: command.gpusPerWorker, cpus: cpus, gpus: gpus)
    }

    /// `--shard K/N`, else the shard a CI's variables name, else none.
    private static func shard(_ command: RunCommand, environment: [String: String]) throws(UsageError) -> (ShardRequest?, String?) {
        if let text = command.shard {
            do throws(ShardSpecError) {
                return (ShardRequest(spec: try ShardSpec.parse(text, strategy: command.shardBy)), nil)
            } catch {
                throw UsageError("--shard: \(error)")
            }
        }
        let detected: CIShardDetection?
        do throws(ShardSpecError) {
            detected = try CIShardEnvironment.detect(environment)
        } catch {
            throw UsageError(error.description)
        }
        guard let detected else { return (nil, nil) }
        return (ShardRequest(spec: detected.spec(strategy: command.shardBy), source: detected.variables), detected.bazelStatusFile)
    }
}
