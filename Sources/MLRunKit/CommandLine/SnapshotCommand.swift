import ArgumentParser
import DriftPlugin
import Foundation
import MLRunCore

/// `mlrun snapshot DATA -o ref.json`: a reference snapshot of a data file for `[[drift]]`.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlrun snapshot",
        abstract: "Write a reference snapshot of a data file (CSV, TSV or JSON Lines) for [[drift]] suites.",
        discussion: """
            Per numeric column: a seeded sample of its values (all of them when they fit), the exact mean, \
            standard deviation, decile edges and decile bin counts; per categorical column: exact value counts. \
            A [[drift]] suite whose reference is the snapshot gives the same results as against the file \
            whenever the file fits in the sample.
            """
    )

    @Argument(help: ArgumentHelp("The data file.", valueName: "data"))
    var data: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The snapshot to write (.json).", valueName: "file"))
    var output: String

    @Option(name: .customLong("sample-size"), help: ArgumentHelp("The most values kept per numeric column.", valueName: "n"))
    var sampleSize = ReferenceSnapshot.defaultSampleSize

    @Option(help: ArgumentHelp("Seeds the sample: the same seed and file give the same snapshot.", valueName: "n"))
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Only these columns (comma-separated); default: all.", valueName: "a,b"))
    var columns: String?

    @Option(help: ArgumentHelp("The CSV delimiter (default ',' and tab for .tsv).", valueName: "c"))
    var delimiter: String?

    @Option(
        name: .customLong("null-value"), help: ArgumentHelp("A field that means missing (repeatable; default: the empty field).", valueName: "text"))
    var nullValues: [String] = []

    func validate() throws {
        if sampleSize < 1 { throw ValidationError("--sample-size must be at least 1") }
        if let delimiter, Delimiter(delimiter) == nil { throw ValidationError("--delimiter must be \(Delimiter.requirement)") }
        if !output.lowercased().hasSuffix(".json") {
            throw ValidationError("the snapshot must be a .json file (that is how [[drift]] tells it from a data file): \(output)")
        }
    }
}

enum Snapshot {
    static func run(arguments: [String]) -> MLRunExitCode {
        let command: SnapshotCommand
        switch SnapshotCommand.parseOrExit(arguments) {
        case .success(let parsed): command = parsed
        case .failure(let stop): return stop.code
        }
        let data = URL(fileURLWithPath: command.data)
        guard FileManager.default.isReadableFile(atPath: data.path) else {
            MLRun.printError("no readable file \(command.data)")
            return .usageError
        }
        do {
            let summary = try ReferenceSnapshot.write(
                data: data, displayPath: command.data, to: URL(fileURLWithPath: command.output),
                columns: command.columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                sampleSize: command.sampleSize, seed: command.seed, delimiter: command.delimiter.flatMap(Delimiter.init)?.byte,
                nullValues: command.nullValues.isEmpty ? [""] : command.nullValues)
            print("wrote \(summary)")
            return .ok
        } catch {
            // Bad input (a malformed data file, an unwritable output): a usage error, as a bad config is.
            MLRun.printError(error.description)
            return .usageError
        }
    }
}
