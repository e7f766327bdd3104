import Foundation

extension ProtocolSession {
    /// Starts the program with `command` (the `[[pytest]]` bridge's `serve`), which prints its
    /// discovery lines, then `{"event": "discovered"}`, and then runs ids like `run`; keeps the
    /// process as this session's. So a program that must import and collect a whole tree to
    /// discover it does so once for discovery and the first worker's tests together.
    ///
    /// Returns the discovery lines, or why discovery failed (with the end of the program's
    /// stderr); the process is then gone.
    package func serve(command: String, limit: Double) async -> Swift.Result<[String], ServeFailure> {
        let process = PluginProcess.launch(launch, command: command, echo: nil)
        let deadline = ContinuousClock.now.advanced(by: .seconds(limit))
        var lines: [String] = []
        while true {
            switch await process.events.next(deadline: deadline) {
            case .element(.line(let line, _, _)):
                if line == #"{"event": "discovered"}"# {
                    _ = process.takeStderr()
                    adopt(process)
                    return .success(lines)
                }
                lines.append(line)
            case .element(.launchFailed(let message)):
                return .failure(ServeFailure(message: "cannot start \(launch.argv[0]): \(message)", lines: lines))
            case .element(.stdoutClosed), .element(.exited):
                let status = await process.awaitExit(limit: .seconds(5))
                await process.settleStderr()
                let stderr = ProtocolSession.tail(of: process.takeStderr().text, lines: 15)
                return .failure(
                    ServeFailure(
                        message: "\(status) before it finished discovering" + (stderr.isEmpty ? "" : "; its stderr ends:\n\(stderr)"), lines: lines))
            case .timedOut:
                process.killGroup()
                return .failure(ServeFailure(message: "did not finish discovering within \(Int(limit)) s and was killed", lines: lines))
            case .cancelled:
                process.killGroup()
                return .failure(ServeFailure(message: "discovery was interrupted", lines: lines))
            }
        }
    }
}

/// Why a `serve` discovery ended without `{"event": "discovered"}`.
package struct ServeFailure: Error, Sendable {
    package var message: String
    /// The lines it printed before it ended.
    package var lines: [String]
}
