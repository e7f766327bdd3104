import Foundation
import MLRunCore
import MLRunReporters
import MLRunRunner

/// One run, from a checked command line to the reports: config → suites → collect → plan →
/// run → reports. Throws what stops it early (a usage error, a bad config); `MLRun` turns
/// that into a message and an exit code.
struct Session {
    let configuration: RunConfiguration
    let plugins: PluginSet

    func execute() async throws -> MLRunExitCode {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let configFile: URL
        do {
            configFile = try RunnerConfig.locate(explicit: configuration.configPath, from: cwd)
        } catch {
            // `--markers` works outside a project too: the built-ins.
            if configuration.listMarkers {
                Session.printMarkers(MarkerRegistry(declared: []))
                return .ok
            }
            throw error
        }
        // Changed files are read through libgit2 on a thread of their own while the config
        // loads and the suites collect: the two are independent, and each takes tens of milliseconds.
        let changesTask = Task.detached { [changes = configuration.changes] () -> Result<ChangeSelection, UsageError>? in
            changes.map { Session.changeSelection(configFile: configFile, changes: $0) }
        }
        let config = try RunnerConfig.load(configFile, pluginTables: plugins.tableNames)
        let registry = MarkerRegistry(declared: config.markers)
        if configuration.listMarkers {
            Session.printMarkers(registry)
            return .ok
        }
        let strict = configuration.strictMarkers || config.strictMarkers
        let marker = try markerExpression(config: config, registry: registry, strict: strict)
        // The stores are read before any suite collects: a damaged one is a usage error that
        // starts no discovery program.
        var selection = try selection(marker: marker, config: config)
        let environment = PluginEnvironment(
            configFile: configFile, runSeed: configuration.seed,
            updateBaselines: configuration.updateBaselines,
            firstWorkerEnvironment: workerPool(config: config, configFile: configFile)?.environment(0)
                ?? ["MLRUN_WORKER": "0", "MLRUN_WORKERS": "1"])
        let suites = try plugins.makeSuites(config: config, environment: environment)
        var reporters = try makeReporters(cwd: cwd)

        let interruption = Interruption()
        let signals = SignalWatcher(interruption: interruption)
        defer { signals.stop() }

        let startedAt = Date()
        let collections = await Session.collect(suites)
        selection.changes = try await changesTask.value?.get()
        let plan = try Planner.plan(collections: collections, selection: selection, registry: registry, strictMarkers: strict)
        if plan.shard != nil, let file = configuration.bazelStatusFile {
            // Bazel asks test runners that shard to touch this file.
            FileManager.default.createFile(atPath: file, contents: nil)
        }
        let history = HistoryRecorder()
        reporters.append(history)
        let emit: (RunEvent) -> Void = { event in for reporter in reporters { reporter.handle(event) } }
        emit(
            .runStarted(
                RunHeader(
                    configFile: configFile, seed: configuration.seed, args: configuration.arguments, startedAt: startedAt,
                    collected: plan.collected, selected: plan.selected.count, deselected: plan.deselected,
                    collectOnly: configuration.collectOnly, tests: plan.selected, shard: plan.shard,
                    workers: configuration.workers?.count, notes: plan.notes)))
        let summary: RunSummary
        if configuration.collectOnly {
            summary = Session.reportCollection(plan, emit: emit, interruption: interruption, startedAt: startedAt)
            for suite in plan.suites { await suite.finish() }
        } else {
            let scratch = FileManager.default.temporaryDirectory
                .appendingPathComponent("mlrun-\(ProcessInfo.processInfo.processIdentifier)-\(configuration.seed)")
            let runner = Runner(
                plan: plan,
                options: RunOptions(
                    runSeed: configuration.seed,
                    maxFail: configuration.maxFail,
                    exitFirst: configuration.exitFirst,
                    timeout: configuration.timeout ?? config.timeout,
                    scratchRoot: scratch,
                    configDirectory: config.directory,
                    reruns: configuration.reruns,
                    pool: workerPool(config: config, configFile: configFile)
                ), interruption: interruption)
            summary = await runner.run(emit: emit)
        }
        emit(.runFinished(summary))
        if !configuration.collectOnly {
            do {
                try history.store(in: config.directory, durations: configuration.storeDurations)
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

    /// `-m`, else the config's `default_selection`; under strict markers, the suites' markers
    /// must be declared (the names in the expression are the planner's to check).
    private func markerExpression(
        config: RunnerConfig, registry: MarkerRegistry, strict: Bool
    ) throws -> RunConfiguration.Expression? {
        var marker = configuration.marker
        if !configuration.markerGiven, let fallback = config.defaultSelection {
            marker = try RunConfiguration.expression(fallback, flag: "default_selection")
        }
        if strict { try config.checkSuiteMarkers(against: registry) }
        // The names in -m are checked by the planner, once the suites have said which markers
        // their own frameworks declare.
        return marker
    }

    /// The filters and order of the plan, with what the stores next to the config hold; the
    /// changed files are added when libgit2 has read them.
    private func selection(marker: RunConfiguration.Expression?, config: RunnerConfig) throws -> Selection {
        var selection = Selection(
            ids: configuration.ids, keyword: configuration.keyword?.expression, keywordText: configuration.keyword?.text,
            markerExpression: marker?.expression, markerText: marker?.text)
        if let mode = configuration.lastFailed {
            let failed = try LastFailedStore.load(from: config.directory)
            selection.lastFailed = mode == .only ? .only(failed) : .first(failed)
        }
        selection.shard = configuration.shard
        selection.durations = try DurationStore.load(from: config.directory)
        selection.order = configuration.workers == nil ? .declared : .longestFirst
        selection.suiteDefaults = !configuration.markerGiven
        return selection
    }

    /// The console, and the files asked for.
    private func makeReporters(cwd: URL) throws -> [any Reporter] {
        let reports = configuration.reports
        var reporters: [any Reporter] = [
            ConsoleReporter(
                output: TextSink(descriptor: reports.events == "-" ? 2 : 1),
                verbosity: configuration.verbosity, colour: configuration.colour,
                durations: configuration.durations, explain: configuration.explain)
        ]
        if let path = reports.json { reporters.append(JSONReporter(url: URL(fileURLWithPath: path, relativeTo: cwd))) }
        if let path = reports.junitXML { reporters.append(JUnitReporter(url: URL(fileURLWithPath: path, relativeTo: cwd))) }
        if let path = reports.events {
            do {
                reporters.append(try EventStreamReporter(path: path))
            } catch {
                throw UsageError("cannot open the event stream \(path): \(error.localizedDescription)")
            }
        }
        return reporters
    }
}
