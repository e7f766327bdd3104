import Dispatch
import Foundation
import MLRunCore
import MLRunGit
import MLRunReporters
import MLRunRunner

/// One invocation: config → suites → collect → plan → run → reports. Errors become a
/// message and an exit code here and nowhere else.
struct Session {
    let command: RunCommand
    let arguments: [String]
    let plugins: [any SuitePlugin]

    /// A usage problem: printed, exit 4.
    struct UsageError: Error, Sendable { var message: String }

    func execute() async -> MLRunExitCode {
        do {
            return try await executeThrowing()
        } catch let error as UsageError {
            MLRun.printError(error.message)
            return .usageError
        } catch let error as ConfigError {
            MLRun.printError(error.description.hasPrefix("error: ") ? String(error.description.dropFirst(7)) : error.description.replacingOccurrences(of: ": error: ", with: ": "))
            return .usageError
        } catch let error as PlanError {
            MLRun.printError(error.message)
            return .usageError
        } catch let error as StoreError {
            MLRun.printError(error.description)
            return .usageError
        } catch {
            MLRun.printError("internal error: \(error)")
            return .internalError
        }
    }

    private func executeThrowing() async throws -> MLRunExitCode {
        let plugins = try PluginSet(self.plugins)
        var markerExpression = try Session.parseExpression(command.markExpression, flag: "-m")
        let keywordText = command.keywordExpression.map { String($0.drop(while: { $0.isWhitespace })) }  // pytest: `str.lstrip()`
        let keywordExpression = try Session.parseExpression(keywordText, flag: "-k")
        if let keywordExpression, keywordExpression.identifiers.contains(where: { $0.hasKwargs }) {
            throw UsageError(message: "wrong expression passed to '-k': keyword expressions do not support call parameters")
        }

        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let configFile: URL
        do {
            configFile = try RunnerConfig.locate(explicit: command.config, from: cwd)
        } catch {
            if command.markers {
                printMarkers(MarkerRegistry(declared: []))
                return .ok
            }
            throw error
        }
        // Changed files are read through libgit2 on a thread of their own while the config
        // loads and the suites collect: the two are independent, and each takes tens of milliseconds.
        let wantsChanges = command.changed || command.changedSince != nil
        let since = command.changedSince
        let changesTask = Task.detached { () -> Result<ChangeSelection, UsageError>? in
            guard wantsChanges else { return nil }
            return Session.changeSelection(configFile: configFile, since: since)
        }
        let config = try RunnerConfig.load(configFile, pluginTables: plugins.tableNames)
        // No -m on the command line: the config's default selection, if any.
        var markerText = command.markExpression
        if markerText == nil, let fallback = config.defaultSelection {
            markerText = fallback
            markerExpression = try Session.parseExpression(fallback, flag: "default_selection")
        }
        let registry = MarkerRegistry(declared: config.markers)
        if command.markers {
            printMarkers(registry)
            return .ok
        }
        let strict = command.strictMarkers || config.strictMarkers
        if strict { try config.checkSuiteMarkers(against: registry) }
        if strict, let markerExpression {
            for identifier in markerExpression.identifiers where !registry.isDeclared(identifier.name) {
                throw UsageError(message: "'\(identifier.name)' in -m is not a known marker (--strict-markers); declare it in [runner.markers] of \(configFile.path)")
            }
        }

        let runSeed = command.seed ?? Seeds.randomRunSeed()
        let environment = PluginEnvironment(configFile: configFile, runSeed: runSeed, updateBaselines: command.updateBaselines)
        let suites = try plugins.makeSuites(config: config, environment: environment)

        let interruption = Interruption()
        let signals = SignalWatcher(interruption: interruption)
        defer { signals.stop() }

        let startedAt = Date()
        let collections = await Session.collect(suites)
        var selection = Selection(ids: command.ids, keyword: keywordExpression, keywordText: keywordText,
                                  markerExpression: markerExpression, markerText: markerText)
        selection.changes = try await changesTask.value?.get()
        var plan = try Planner.plan(
            collections: collections,
            selection: selection,
            registry: registry,
            strictMarkers: strict
        )
        var notes: [String] = []

        // History: --lf / --ff read .mlrun/lastfailed.json next to the config.
        var lastFailed = Set<TestID>()
        if command.lastFailed || command.failedFirst {
            let ids = try LastFailedStore.load(from: config.directory)
            lastFailed = Set(plan.selected.map(\.id).filter { ids.contains($0.description) })
        }
        if command.lastFailed {
            if lastFailed.isEmpty {
                notes.append("--lf: no selected test failed last time; running all")
            } else {
                plan = plan.restricted(to: lastFailed, reason: "passed last time (--lf)")
            }
        }
        if command.failedFirst { plan = plan.movingFirst(lastFailed) }

        // Sharding: --shard, else the CI's variables.
        let durations = try DurationStore.load(from: config.directory)
        var shard: ShardInfo?
        var detectedShard: CIShardDetection?
        if command.shard == nil {
            do {
                detectedShard = try CIShardEnvironment.detect(ProcessInfo.processInfo.environment)
            } catch {
                throw UsageError(message: error.description)
            }
        }
        let shardSpec: ShardSpec?
        do {
            shardSpec = try command.shard.map { try ShardSpec.parse($0, strategy: command.shardBy) } ?? detectedShard?.spec(strategy: command.shardBy)
        } catch {
            throw UsageError(message: "--shard: \(error)")
        }
        if let shardSpec {
            let ids = plan.selected.map(\.id)
            let keep = ShardAssignment.assign(ids: ids, spec: shardSpec, durations: durations)
            shard = ShardInfo(spec: shardSpec, source: detectedShard?.variables, selectionCount: ids.count,
                              fingerprint: ReportMerger.fingerprint(of: ids.map(\.description)))
            plan = plan.restricted(to: keep, reason: "in another shard (\(shardSpec) by \(shardSpec.strategy.rawValue))")
            if let file = detectedShard?.bazelStatusFile {
                // Bazel asks test runners that shard to touch this file.
                FileManager.default.createFile(atPath: file, contents: nil)
            }
        }

        var reporters: [any Reporter] = [ConsoleReporter(output: TextSink(descriptor: command.events == "-" ? 2 : 1), verbosity: verbosity,
                                                         colour: useColour, durations: command.durations, explain: command.explain)]
        if command.explain && !command.collectOnly {
            throw UsageError(message: "--explain goes with --collect-only")
        }
        if let path = command.jsonReport { reporters.append(JSONReporter(url: URL(fileURLWithPath: path, relativeTo: cwd))) }
        if let path = command.junitXML { reporters.append(JUnitReporter(url: URL(fileURLWithPath: path, relativeTo: cwd))) }
        if let path = command.events {
            do {
                reporters.append(try EventStreamReporter(path: path))
            } catch {
                throw UsageError(message: "cannot open the event stream \(path): \(error.localizedDescription)")
            }
        }
        let emit: (RunEvent) -> Void = { event in for reporter in reporters { reporter.handle(event) } }

        let pool = try workerPool(config: config, configFile: configFile, runSeed: runSeed, durations: durations, first: lastFailed)
        let history = HistoryRecorder()
        reporters.append(history)
        emit(.runStarted(RunHeader(configFile: configFile, seed: runSeed, args: arguments, startedAt: startedAt,
                                   collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected,
                                   collectOnly: command.collectOnly, tests: plan.selected, shard: shard, workers: pool?.workers,
                                   notes: notes)))
        let summary: RunSummary
        if command.collectOnly {
            summary = Session.reportCollection(plan, emit: emit, interruption: interruption, startedAt: startedAt)
            for suite in plan.suites { await suite.finish() }
        } else {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-\(ProcessInfo.processInfo.processIdentifier)-\(runSeed)")
            let runner = Runner(plan: plan, options: RunOptions(
                runSeed: runSeed,
                maxFail: command.exitFirst ? 1 : command.maxfail,
                exitFirst: command.exitFirst,
                timeout: command.timeout ?? config.timeout,
                scratchRoot: scratch,
                configDirectory: config.directory,
                reruns: command.reruns,
                pool: pool
            ), interruption: interruption)
            summary = await runner.run(emit: emit)
        }
        emit(.runFinished(summary))
        if !command.collectOnly {
            do {
                try history.store(in: config.directory, durations: command.storeDurations)
            } catch {
                MLRun.printError(error.description)
            }
        }
        var exitCode = summary.exitCode
        for reporter in reporters {
            if let problem = reporter.finish() {
                MLRun.printError(problem)
                exitCode = .internalError
            }
        }
        return exitCode
    }

    /// `--changed` / `--changed-since`: the changed files, read through libgit2 (never the
    /// `git` program), relative to the config's folder.
    private static func changeSelection(configFile: URL, since: String?) -> Result<ChangeSelection, UsageError> {
        let folder = configFile.deletingLastPathComponent()
        let changes: ChangedPaths
        let repository: GitRepository
        do {
            repository = try GitRepository.open(containing: folder)
            changes = try repository.changedPaths(since: since)
        } catch {
            return .failure(UsageError(message: (since.map { "--changed-since \($0): " } ?? "--changed: ") + error.description))
        }
        // Paths from git are relative to the working tree; globs to the config's folder.
        let root = repository.workdir.standardizedFileURL.resolvingSymlinksInPath().path
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = base == root ? "" : String(base.dropFirst(root.count).drop(while: { $0 == "/" })) + "/"
        var changed = Set<String>()
        var details: [String: String] = [:]
        for path in changes.paths where prefix.isEmpty || path.hasPrefix(prefix) {
            let relative = String(path.dropFirst(prefix.count))
            changed.insert(relative)
            if let detail = changes.details[path] { details[relative] = detail }
        }
        let configPath = String(configFile.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(root.count).drop(while: { $0 == "/" }))
        let source = since.map { "--changed-since \($0)" + (changes.base.map { " (merge base \($0.prefix(12)))" } ?? "") }
            ?? "--changed (HEAD vs working tree)"
        return .success(ChangeSelection(changed: changed, details: details, configChanged: changes.paths.contains(configPath), source: source))
    }

    /// The `-n` pool, or nil to run in-process.
    private func workerPool(config: RunnerConfig, configFile: URL, runSeed: UInt64, durations: [String: Double],
                            first: Set<TestID>) throws -> WorkerPool? {
        guard let requested = command.workers else {
            if command.gpusPerWorker != nil { throw UsageError(message: "--gpus-per-worker needs -n") }
            return nil
        }
        let cpus = CPUCount.available()
        let workers = requested == "auto" ? cpus : Int(requested) ?? 1
        let environment = ProcessInfo.processInfo.environment
        let gpus = CPUCount.visibleGPUs(environment: environment)
        if let k = command.gpusPerWorker, !gpus.isEmpty, gpus.count < k * workers {
            throw UsageError(message: "--gpus-per-worker \(k) with \(workers) workers needs \(k * workers) GPUs; \(gpus.count) are visible (\(gpus.joined(separator: ",")))")
        }
        return WorkerPool(
            workers: workers,
            distribution: command.dist,
            groups: config.groups,
            maxRestarts: command.maxWorkerRestart ?? 4 * workers,
            workerCommand: [Session.executablePath(), "__worker", "-c", configFile.path, "--seed", String(runSeed)]
                + (command.updateBaselines ? ["--update-baselines"] : []),
            configDirectory: config.directory,
            environments: WorkerPool.environments(workers: workers, cpus: cpus, gpus: gpus, gpusPerWorker: command.gpusPerWorker,
                                                  inherited: environment),
            echoOutput: command.streamOutput
        )
    }

    /// This executable, to re-execute as a worker (a team's own build brings its plugins).
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CommandLine.arguments[0]
    }

    private var verbosity: ConsoleReporter.Verbosity {
        command.verbose ? .verbose : command.quiet ? .quiet : .normal
    }

    private var useColour: Bool {
        switch command.color {
        case .yes: return true
        case .no: return false
        case .auto:
            let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return !noColour && isatty(command.events == "-" ? 2 : 1) == 1
        }
    }

    private func printMarkers(_ registry: MarkerRegistry) {
        var text = ""
        for marker in registry.markers {
            text += "@\(marker.name): \(marker.description)\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Parses a `-m`/`-k` expression; nil or empty means no filter (pytest's rule).
    static func parseExpression(_ text: String?, flag: String) throws -> MatchExpression? {
        guard let text, !text.isEmpty else { return nil }
        do throws(ExpressionError) {
            return try MatchExpression.parse(text)
        } catch {
            throw UsageError(message: "wrong expression passed to '\(flag)': \(text): at column \(error.column): \(error.message)")
        }
    }

    /// Collects every suite concurrently; results come back in the suites' order.
    static func collect(_ suites: [any Suite]) async -> [(suite: any Suite, result: Result<[TestCase], SuiteError>)] {
        await withTaskGroup(of: (Int, Result<[TestCase], SuiteError>).self) { group in
            for (index, suite) in suites.enumerated() {
                group.addTask {
                    // Assigned first and returned once: Swift 6.3's optimiser miscompiled
                    // `return (index, .success(try await …))` inside `do throws(…)`,
                    // dropping `index` in release builds.
                    let result: Result<[TestCase], SuiteError>
                    do throws(SuiteError) {
                        result = .success(try await suite.collect())
                    } catch {
                        result = .failure(error)
                    }
                    return (index, result)
                }
            }
            var results = [Result<[TestCase], SuiteError>?](repeating: nil, count: suites.count)
            for await (index, result) in group { results[index] = result }
            return suites.indices.map { (suites[$0], results[$0] ?? .failure(SuiteError("collection did not finish"))) }
        }
    }

    /// `--collect-only`: every selected test is reported as `collected`.
    static func reportCollection(_ plan: Plan, emit: (RunEvent) -> Void, interruption: Interruption, startedAt: Date) -> RunSummary {
        var counts: [Outcome: Int] = [:]
        for failure in plan.collectionFailures {
            emit(.testFinished(TestResult(id: failure.id, plugin: failure.plugin, markers: failure.markers, outcome: .error, message: failure.message)))
            counts[.error, default: 0] += 1
        }
        for test in plan.selected {
            var result = TestResult(id: test.id, plugin: test.plugin, markers: test.markers, outcome: .collected, attempts: 0)
            result.selectedBecause = test.selectedBecause
            emit(.testFinished(result))
            counts[.collected, default: 0] += 1
        }
        let exitCode = MLRunExitCode.of(interrupted: interruption.isInterrupted, counts: counts, selected: plan.selected.count)
        return RunSummary(collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected.count, counts: counts,
                          duration: Date().timeIntervalSince(startedAt), interruptedBy: interruption.signal, exitCode: exitCode)
    }
}

/// Turns SIGINT and SIGTERM into an interrupt of the run; a second signal exits at once.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(interruption: Interruption) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if interruption.isInterrupted {
                    FileHandle.standardError.write(Data("mlrun: second \(name): exiting now\n".utf8))
                    _exit(MLRunExitCode.interrupted.rawValue)
                }
                interruption.trigger(name)
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
    }
}
