import ArgumentParser
import CommandPlugin
import DataPlugin
import Dispatch
import Foundation
@_exported import MLRunCore
import MLRunGit
import QualityPlugin
import DriftPlugin
import MLRunReporters
import MLRunRunner

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
    public static var builtInPlugins: [any SuitePlugin] { [CommandPlugin(), DataPlugin(), QualityPlugin(), DriftPlugin()] }

    /// Parses the process's arguments, runs, and exits with mlrun's exit code.
    public static func main(plugins: [any SuitePlugin] = []) async -> Never {
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()), plugins: plugins)
        exit(code.rawValue)
    }

    /// Runs mlrun with `arguments` and returns the exit code (without exiting).
    public static func run(arguments: [String], plugins: [any SuitePlugin] = []) async -> MLRunExitCode {
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
        default:
            break
        }
        let command: RunCommand
        do {
            command = try RunCommand.parse(arguments)
        } catch {
            let code = RunCommand.exitCode(for: error)
            if code == .success {
                print(RunCommand.fullMessage(for: error))
                return .ok
            }
            printError(RunCommand.message(for: error) + "\nusage: " + RunCommand.usageString() + "\nsee 'mlrun --help'")
            return .usageError
        }
        let session = Session(command: command, arguments: arguments, plugins: builtInPlugins + plugins)
        return await session.execute()
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("mlrun: error: " + message + "\n").utf8))
    }
}
