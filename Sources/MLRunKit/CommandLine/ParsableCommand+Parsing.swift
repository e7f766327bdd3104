import ArgumentParser
import MLRunCore

extension ParsableCommand {
    /// Parses `arguments` into the command, or says why not: `--help` and `--version` print
    /// and exit 0; a bad flag prints the problem and the usage and exits 4. The one place
    /// mlrun's commands turn argument-parser outcomes into output and exit codes.
    static func parseOrExit(_ arguments: [String], hint: String? = nil) -> Result<Self, Stop> {
        do {
            return .success(try parse(arguments))
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                return .failure(Stop(code: .ok))
            }
            MLRun.printError(message(for: error) + "\nusage: " + usageString() + (hint.map { "\n" + $0 } ?? ""))
            return .failure(Stop(code: .usageError))
        }
    }
}

/// The exit code of a command that ended while its arguments were read.
struct Stop: Error {
    var code: MLRunExitCode
}
