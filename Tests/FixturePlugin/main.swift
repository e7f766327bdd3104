// `mlrun-fixture`: mlrun built with one extra, test-only plugin, exactly as a third party
// builds theirs. Its `[[fixture]]` suites are in-process Swift tests that misbehave on
// purpose, so the end-to-end tests can check -n workers, crashes, timeouts, reruns and groups
// for Swift-native suites.
import Foundation
import MLRunKit

/// `[[fixture]]`: `tests = ["ACTION:NAME[:MARKER,MARKER]", …]`.
///
/// Actions: `pass`; `fail`; `throw`; `segfault` (writes to stderr, then SIGSEGV); `exit3`;
/// `hang` (blocks forever); `busyN` (N ms of CPU work); `sleepN` (N ms asleep); `print`
/// (prints to stdout and stderr); `flaky` (fails until it finds its marker file, which it
/// creates, in the folder of `FIXTURE_STATE`); `stamp` (like `sleep200`, recording start
/// and end times as values).
struct FixturePlugin: SuitePlugin {
    var tableName: String { "fixture" }
    var summary: String { "test-only in-process suites that misbehave on purpose" }

    func makeSuites(from tables: [ConfigTable], environment: PluginEnvironment) throws(ConfigError) -> [any Suite] {
        var suites: [any Suite] = []
        for table in tables {
            try table.rejectUnknownKeys(allowed: ["name", "markers", "paths", "tests"])
            let declaration = try table.suiteDeclaration()
            var tests: [(TestCase, String)] = []
            for entry in try table.stringArray("tests") ?? [] {
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 2 else {
                    throw ConfigError("fixture test '\(entry)' must be ACTION:NAME", at: table["tests"]!.position)
                }
                let markers = parts.count > 2 ? parts[2].split(separator: ",").map { Marker(String($0)) } : []
                tests.append((TestCase(name: parts[1], markers: markers), parts[0]))
            }
            suites.append(FixtureSuite(name: declaration.name, markers: declaration.markers, paths: declaration.paths, tests: tests))
        }
        return suites
    }
}

final class FixtureSuite: Suite {
    let name: String
    let markers: [Marker]
    let paths: [String]
    let tests: [(TestCase, String)]
    var plugin: String { "fixture" }

    init(name: String, markers: [Marker], paths: [String], tests: [(TestCase, String)]) {
        self.name = name
        self.markers = markers
        self.paths = paths
        self.tests = tests
    }

    func collect() async throws(SuiteError) -> [TestCase] { tests.map(\.0) }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        guard let action = tests.first(where: { $0.0.name == test.name })?.1 else { return .error("unknown test") }
        switch action {
        case "pass":
            return .passed
        case "fail":
            return .failed("expected 1.0, got 0.5")
        case "throw":
            throw Failure(description: "weights contain NaN")
        case "segfault":
            FileHandle.standardError.write(Data("fixture: about to segfault\n".utf8))
            // A real invalid write, as a broken native extension would do.
            let address = UnsafeMutablePointer<Int>(bitPattern: 16)
            address?.pointee = Int(getpid())
            return .passed
        case "exit3":
            exit(3)
        case "hang":
            while true { sleep(1000) }
        case "print":
            print("fixture stdout line")
            fflush(nil)
            FileHandle.standardError.write(Data("fixture stderr line\n".utf8))
            context.attach(stdout: "attached text\n")
            return .passed
        case "flaky":
            let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FIXTURE_STATE"] ?? "/tmp").deletingLastPathComponent()
            let marker = folder.appendingPathComponent("flaky-\(name)-\(test.name)")
            if FileManager.default.fileExists(atPath: marker.path) { return .passed }
            FileManager.default.createFile(atPath: marker.path, contents: nil)
            return .failed("failed the first time")
        case "stamp":
            context.record("start", .double(Date().timeIntervalSince1970))
            try await Task.sleep(for: .milliseconds(200))
            context.record("end", .double(Date().timeIntervalSince1970))
            return .passed
        case let busy where busy.hasPrefix("busy"):
            let milliseconds = Double(busy.dropFirst(4)) ?? 0
            let clock = ContinuousClock()
            let start = clock.now
            var x = 0.0
            while (clock.now - start) < .milliseconds(milliseconds) {
                for i in 0..<10_000 { x += sin(Double(i)) }
            }
            context.record("checksum", .double(x.isFinite ? 1 : 0))
            return .passed
        case let nap where nap.hasPrefix("sleep"):
            try await Task.sleep(for: .milliseconds(Int(nap.dropFirst(5)) ?? 0))
            return .passed
        default:
            return .error("unknown fixture action \(action)")
        }
    }
}

await MLRun.main(plugins: [FixturePlugin()])
