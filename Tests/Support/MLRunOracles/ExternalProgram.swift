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

    /// Runs the program as `run` does, on the calling thread: for test setup outside async
    /// code. `directory` is its working directory (default: this process's); `environment`,
    /// when given, replaces the inherited one.
    package static func runBlocking(
        _ executable: String, _ arguments: [String], directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        // Files, not pipes: a chatty program never blocks on a full pipe, and a process another
        // test spawns meanwhile, inheriting open descriptors, cannot hold the read open.
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
        // Bytes that are not UTF-8 become U+FFFD rather than losing the whole output.
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }
}
