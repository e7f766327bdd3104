import Foundation
import MLRunCore

/// `mlrun __worker -c CONFIG --seed N [--update-baselines] run`: the process `-n` starts for in-process suites.
///
/// It speaks suite protocol v1 on its standard input and output, exactly like a
/// `[[command]]` program: it reads full test ids (`suite::name`), collects each suite on
/// first use, runs the test in this process and answers with a start line and a result
/// line, adding the test's attached `stdout`/`stderr`. Its own standard output is moved to
/// standard error first, so a test's `print` can never corrupt the protocol channel (the
/// parent attaches that text to the running test).
enum Worker {
    static func run(arguments: [String], plugins: [any SuitePlugin]) async -> MLRunExitCode {
        var config: String?
        var seed: UInt64 = 0
        var updateBaselines = false
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "-c" where index + 1 < arguments.count:
                config = arguments[index + 1]
                index += 1
            case "--seed" where index + 1 < arguments.count:
                guard let parsed = UInt64(arguments[index + 1]) else {
                    MLRun.printError("worker: --seed takes a number, not \(arguments[index + 1])")
                    return .usageError
                }
                seed = parsed
                index += 1
            case "--update-baselines":
                updateBaselines = true
            case "run":
                break
            default:
                MLRun.printError("worker: unexpected argument \(arguments[index])")
                return .usageError
            }
            index += 1
        }
        // The protocol channel is the original stdout; everything else printed goes to stderr.
        let channel = dup(1)
        dup2(2, 1)
        let output = FileHandle(fileDescriptor: channel, closeOnDealloc: true)

        let suites: [String: any Suite]
        let configFile: URL
        do {
            configFile = try RunnerConfig.locate(explicit: config, from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let plugins = try PluginSet(plugins)
            let loaded = try RunnerConfig.load(configFile, pluginTables: plugins.tableNames)
            let environment = PluginEnvironment(configFile: configFile, runSeed: seed, updateBaselines: updateBaselines)
            var made: [String: any Suite] = [:]
            for suite in try plugins.makeSuites(config: loaded, environment: environment) where suite.concurrency == .inProcess {
                made[suite.name] = suite
            }
            suites = made
        } catch {
            MLRun.printError("worker: \(error)")
            return .usageError
        }

        let worker = Int(ProcessInfo.processInfo.environment["MLRUN_WORKER"] ?? "0") ?? 0
        let workerEnvironment = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("MLRUN_WORKER") }
        var collected: [String: Result<[String: TestCase], SuiteError>] = [:]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-worker-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }

        func send(_ value: JSONValue) {
            output.write(Data((value.jsonText + "\n").utf8))
        }

        while let line = readLine(strippingNewline: true) {
            let full = line.trimmingCharacters(in: .whitespaces)
            guard !full.isEmpty else { continue }
            send(.object([("id", .string(full)), ("event", "start")]))
            let start = ContinuousClock.now
            let parts = full.components(separatedBy: "::")
            let suiteName = parts[0]
            let name = parts.dropFirst().joined(separator: "::")
            var verdict = TestVerdict.error("unknown test id \(full)")
            var recorded: (values: [(String, JSONValue)], stdout: String, stderr: String) = ([], "", "")
            if let suite = suites[suiteName] {
                if collected[suiteName] == nil {
                    do throws(SuiteError) {
                        let tests = try await suite.collect()
                        collected[suiteName] = .success(Dictionary(tests.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
                    } catch {
                        collected[suiteName] = .failure(error)
                    }
                }
                switch collected[suiteName] {
                case .failure(let error)?:
                    verdict = .error("the worker could not collect suite \(suiteName): \(error.message)")
                case .success(let tests)?:
                    if let test = tests[name] {
                        let run = TestRun(
                            id: TestID(suite: suiteName, name: name), test: test, runSeed: seed, worker: worker,
                            timeout: test.timeout, configDirectory: configFile.deletingLastPathComponent(),
                            scratchRoot: scratch, workerEnvironment: workerEnvironment)
                        let record = await run.run(suite)
                        verdict = record.verdict
                        recorded = (record.values, record.stdout, record.stderr)
                    }
                case nil:
                    break
                }
            }
            var members: [(String, JSONValue)] = [
                ("id", .string(full)), ("outcome", .string(verdict.outcome.rawValue)), ("message", .string(verdict.message)),
                ("duration_s", .double((ContinuousClock.now - start).seconds)), ("values", .object(recorded.values)),
            ]
            if !recorded.stdout.isEmpty { members.append(("stdout", .string(recorded.stdout))) }
            if !recorded.stderr.isEmpty { members.append(("stderr", .string(recorded.stderr))) }
            send(.object(members))
        }
        for suite in suites.values { await suite.finish() }
        return .ok
    }
}
