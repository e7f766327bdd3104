import Dispatch
import Foundation
import MLRunCore
import MLRunRunner

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
