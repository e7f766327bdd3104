import Foundation
import MLRunCore

/// Runs a helper program from a test (a Python oracle, say) without blocking Swift's
/// cooperative pool: the process is waited for on a thread of its own, so a slow oracle does
/// not stall the other tests running in parallel (their timers and timeouts included).
package enum ExternalProgram {
    /// How the program ended and what it printed.
    package struct Result: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        /// Both streams, for a failure message.
        package var output: String { stdout + stderr }
    }

    /// Runs `executable` (a path, or a name looked up on the PATH through `/usr/bin/env`) with
    /// `arguments`, standard input closed.
    package static func run(_ executable: String, _ arguments: [String]) async throws -> Result {
        let outcome: Swift.Result<Result, any Error> = await DedicatedThread.run {
            Swift.Result { try runBlocking(executable, arguments) }
        }
        return try outcome.get()
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        // Files, not pipes: a chatty program never blocks on a full pipe.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-program-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
