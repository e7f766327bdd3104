import Foundation
import MLRunCore
import MLRunRunner
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe the signal handler writes the signal's number to (-1: none).
/// Set before the handler is installed and never changed after, so the handler only reads it.
nonisolated(unsafe) private var signalPipe: Int32 = -1

/// Turns SIGINT and SIGTERM into an interrupt of the run; a second signal exits at once.
///
/// A real handler writes the signal's number to a pipe that a thread of its own reads. Not a
/// `DispatchSource`: on Linux, libdispatch reads signals through a `signalfd` and blocks
/// them only in its own thread, so with the disposition set to ignore (as a signal source
/// needs), a signal the kernel hands to any other thread is dropped: under load, a Ctrl-C
/// was lost now and then. A handler runs whichever thread the kernel picks.
final class SignalWatcher: Sendable {
    private let stopped = Mutex(false)

    init(interruption: Interruption) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            FileHandle.standardError.write(Data("mlrun: cannot watch for Ctrl-C (pipe: \(errno)); it ends mlrun at once\n".utf8))
            return
        }
        signalPipe = ends[1]
        let readEnd = ends[0]
        let thread = Thread { [self] in
            var number: UInt8 = 0
            while read(readEnd, &number, 1) == 1 {
                guard !stopped.withLock({ $0 }) else { continue }
                let name = Int32(number) == SIGINT ? "SIGINT" : "SIGTERM"
                if interruption.isInterrupted {
                    FileHandle.standardError.write(Data("mlrun: second \(name): exiting now\n".utf8))
                    _exit(MLRunExitCode.interrupted.rawValue)
                }
                interruption.trigger(name)
            }
        }
        thread.name = "mlrun-signals"
        thread.start()
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipe, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Stops turning signals into interrupts; they are still caught (and now ignored), so a
    /// late Ctrl-C cannot cut the reports short.
    func stop() {
        stopped.withLock { $0 = true }
    }
}
