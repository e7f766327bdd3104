import ArgumentParser
import Foundation
import MLRunCore
import MLRunReporters

/// `mlrun merge-reports A.json B.json … -o OUT.json [--junit-xml OUT.xml]`: one report from
/// the JSON reports of a sharded run's shards.
struct MergeReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlrun merge-reports",
        abstract: "Merge the JSON reports of one run's shards into one report (and JUnit XML).",
        discussion: "Refuses reports of different selections, repeated or missing shards."
    )

    @Argument(help: ArgumentHelp("The shard reports.", valueName: "report.json"))
    var reports: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The merged JSON report.", valueName: "file"))
    var output: String

    @Option(name: [.customLong("junit-xml"), .customLong("junitxml")], help: ArgumentHelp("Also write JUnit XML here.", valueName: "file"))
    var junitXML: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give the shard reports to merge") }
    }
}

enum MergeReports {
    static func run(arguments: [String]) -> MLRunExitCode {
        let command: MergeReportsCommand
        switch MergeReportsCommand.parseOrExit(arguments) {
        case .success(let parsed): command = parsed
        case .failure(let stop): return stop.code
        }
        var inputs: [(path: String, json: JSONValue)] = []
        for path in command.reports {
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                inputs.append((path, try JSONValue.parse(text)))
            } catch let error as JSONParseError {
                MLRun.printError("\(path): not a JSON report: \(error)")
                return .usageError
            } catch {
                MLRun.printError("\(path): cannot read: \(error.localizedDescription)")
                return .usageError
            }
        }
        let merged: JSONValue
        do {
            merged = try ReportMerger.merge(inputs)
        } catch {
            MLRun.printError(error.description)
            return .usageError
        }
        do {
            try writeAtomically(merged.prettyJSONText + "\n", to: URL(fileURLWithPath: command.output))
            if let junit = command.junitXML {
                try writeAtomically(ReportMerger.junit(from: merged), to: URL(fileURLWithPath: junit))
            }
        } catch {
            MLRun.printError("cannot write the merged report: \(error.localizedDescription)")
            return .internalError
        }
        let tests = (merged["tests"].flatMap { if case .array(let a) = $0 { a } else { nil } }) ?? []
        print("merged \(inputs.count) reports: \(tests.count) tests → \(command.output)")
        return .ok
    }
}
