import ArgumentParser
import CommandPlugin
import DataPlugin
import Dispatch
import DriftPlugin
import Foundation
@_exported import MLRunCore
import MLRunGit
import MLRunReporters
import MLRunRunner
import PytestPlugin
import QualityPlugin
import RoundtripPlugin

/// The entry point of `mlrun`, for the stock executable and for a team's own build with
/// extra plugins:
///
/// ```swift
/// import MLRunKit
/// await MLRun.main(plugins: [ThresholdPlugin()])
/// ```
///
/// The built-in plugins are always present; `plugins` are added to them through the same
/// `SuitePlugin` protocol.
public enum MLRun {
    /// The plugins every `mlrun` has.
    package static var builtInPlugins: [any SuitePlugin] {
        [CommandPlugin(), PytestPlugin(), DataPlugin(), QualityPlugin(), DriftPlugin(), RoundtripPlugin()]
    }

    /// Parses the process's arguments, runs, and exits with mlrun's exit code.
    public static func main(plugins: [any SuitePlugin] = []) async -> Never {
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()), plugins: plugins)
        exit(code.rawValue)
    }

    /// Runs mlrun with `arguments` and returns the exit code (without exiting).
    package static func run(arguments: [String], plugins: [any SuitePlugin] = []) async -> MLRunExitCode {
        signal(SIGPIPE, SIG_IGN)
        if arguments.contains(where: { $0 == "--changed" || $0.hasPrefix("--changed-since") }) {
            // libgit2's start-up overlaps with reading the config.
            Task.detached { GitRepository.warmUp() }
        }
        switch arguments.first {
        case "__worker":
            return await Worker.run(arguments: Array(arguments.dropFirst()), plugins: builtInPlugins + plugins)
        case "merge-reports":
            return MergeReports.run(arguments: Array(arguments.dropFirst()))
        case "snapshot":
            return Snapshot.run(arguments: Array(arguments.dropFirst()))
        case "model-helper":
            return ModelHelperPrinter.run(arguments: Array(arguments.dropFirst()))
        default:
            break
        }
        let command: RunCommand
        switch RunCommand.parseOrExit(arguments, hint: "see 'mlrun --help'") {
        case .success(let parsed): command = parsed
        case .failure(let stop): return stop.code
        }
        do {
            let configuration = try RunConfiguration(
                command: command, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                cpus: CPUCount.available(), gpus: CPUCount.visibleGPUs(environment: ProcessInfo.processInfo.environment),
                isTerminal: { isatty($0) == 1 })
            let session = Session(configuration: configuration, plugins: try PluginSet(builtInPlugins + plugins))
            return try await session.execute()
        } catch {
            return report(error)
        }
    }

    /// Prints what stopped a run early and gives its exit code: a usage problem, a bad config,
    /// a bad plan or store file is 4; anything else is an internal error, 3.
    static func report(_ error: any Error) -> MLRunExitCode {
        switch error {
        case let error as UsageError:
            printError(error.message)
        case let error as ConfigError:
            printError(
                error.description.hasPrefix("error: ")
                    ? String(error.description.dropFirst(7))
                    : error.description.replacingOccurrences(of: ": error: ", with: ": "))
        case let error as PlanError:
            printError(error.message)
        case let error as StoreError:
            printError(error.description)
        default:
            printError("internal error: \(error)")
            return .internalError
        }
        return .usageError
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("mlrun: error: " + message + "\n").utf8))
    }
}
