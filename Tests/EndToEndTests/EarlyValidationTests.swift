import Foundation
import Testing

/// Flags are checked before the config's suites collect: a typo never starts a discovery
/// program. The probe suite's program writes a file the moment it is started.
@Suite struct EarlyValidationTests {
    /// A project whose only suite's program leaves `started.flag` behind when run.
    func probeProject() throws -> URL {
        let folder = try makeTemporaryDirectory(prefix: "mlrun-early")
        try writeFile(
            "runner.toml", in: folder,
            """
            [[command]]
            name = "probe"
            run = ["sh", "-c", "touch started.flag; exit 3"]
            """)
        return folder
    }

    struct BadFlags: Sendable, CustomTestStringConvertible {
        var args: [String]
        var message: String
        var testDescription: String { args.joined(separator: " ") }
    }

    static let badFlags: [BadFlags] = [
        BadFlags(args: ["--shard", "5/4"], message: "--shard: "),
        BadFlags(args: ["--shard", "0/4"], message: "--shard: "),
        BadFlags(args: ["--explain"], message: "--explain goes with --collect-only"),
        BadFlags(args: ["--gpus-per-worker", "two", "-n", "2"], message: "--gpus-per-worker"),
        BadFlags(args: ["--gpus-per-worker", "0", "-n", "2"], message: "--gpus-per-worker must be at least 1"),
        BadFlags(args: ["--gpus-per-worker", "1"], message: "--gpus-per-worker needs -n"),
        BadFlags(args: ["-m", "slow and"], message: "wrong expression passed to '-m'"),
    ]

    @Test(arguments: badFlags)
    func badFlagsExitFourBeforeAnyDiscoveryProgramStarts(_ bad: BadFlags) async throws {
        let folder = try probeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await runMLRun(args: bad.args, cwd: folder)
        #expect(result.exitCode == 4, "\(result)")
        #expect(result.stderr.contains(bad.message), "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("started.flag").path),
            "the discovery program was started")
    }

    /// A damaged `.mlrun/` store is found before discovery too.
    @Test(arguments: [("lastfailed.json", ["--lf"]), ("durations.json", [])])
    func aDamagedStoreExitsFourBeforeAnyDiscoveryProgramStarts(store: String, args: [String]) async throws {
        let folder = try probeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFile(".mlrun/\(store)", in: folder, "{ not json")
        let result = try await runMLRun(args: args, cwd: folder)
        #expect(result.exitCode == 4, "\(result)")
        #expect(result.stderr.contains(store), "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("started.flag").path),
            "the discovery program was started")
    }

    /// The probe works: without a bad flag the program starts (and its discovery fails).
    @Test func theProbeProgramStartsOnAnOrdinaryRun() async throws {
        let folder = try probeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await runMLRun(args: ["--shard", "1/4"], cwd: folder)
        #expect(result.exitCode == 1, "\(result)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("started.flag").path))
    }
}
