import Foundation
import Testing

/// End-to-end: `-n` workers, crash recovery, groups, reruns and history (issue 3).
@Suite struct WorkerTests {
    let fixtures = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")

    /// The test-only build of mlrun with the in-process `[[fixture]]` plugin.
    func fixtureBinary() throws -> URL {
        let url = try mlrunBinary().deletingLastPathComponent().appendingPathComponent("mlrun-fixture")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw SupportError("no mlrun-fixture beside \(try mlrunBinary().path); build it with the package")
        }
        return url
    }

    func report(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func tests(_ report: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (report["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    @Test func commandSuiteCrashesUnderTwoWorkersHitExactlyTheCulprits() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["-n", "2", "--json", path.path], cwd: fixtures.appendingPathComponent("workers"))
        #expect(result.exitCode == 1, "\(result)")
        let byID = tests(try report(path))
        #expect(byID.count == 30)
        #expect(byID["w::crash_segv"]?["outcome"] as? String == "crashed")
        #expect(byID["w::crash_exit3"]?["outcome"] as? String == "crashed")
        #expect(byID["w::hang"]?["outcome"] as? String == "timeout")
        #expect(byID.values.filter { $0["outcome"] as? String == "passed" }.count == 27)
        #expect((byID["w::crash_segv"]?["stderr"] as? String)?.contains("segfaulting on purpose in crash_segv") == true)
        #expect((byID["w::crash_segv"]?["message"] as? String)?.contains("SIGSEGV") == true)
        #expect((byID["w::crash_exit3"]?["message"] as? String)?.contains("exited with status 3") == true)
        // Each test's stderr is its own: no other test's lines in it.
        #expect((byID["w::t05"]?["stderr"] as? String) == "running t05\n")
        #expect(Set(byID.values.compactMap { $0["worker"] as? Int }) == [0, 1])
    }

    @Test func swiftSuiteCrashesAreContainedInWorkers() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let healthy = (1...27).map { "pass:t\($0)" }
        try writeFile(
            "runner.toml", in: scratch,
            """
            [runner]
            timeout = 10   # generous: a crashing worker first prints a backtrace, slow on a loaded machine
            [[fixture]]
            name = "sw"
            tests = [\((healthy + ["segfault:crash_segv", "exit3:crash_exit3", "hang:hang"]).map { "\"\($0)\"" }.joined(separator: ", "))]
            """)
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runProcess(try fixtureBinary(), args: ["-n", "2", "--json", path.path], cwd: scratch)
        #expect(result.exitCode == 1, "\(result)")
        let byID = tests(try report(path))
        #expect(byID.count == 30)
        #expect(byID["sw::crash_segv"]?["outcome"] as? String == "crashed")
        #expect(byID["sw::crash_exit3"]?["outcome"] as? String == "crashed")
        #expect(byID["sw::hang"]?["outcome"] as? String == "timeout")
        #expect(byID.values.filter { $0["outcome"] as? String == "passed" }.count == 27)
        #expect((byID["sw::crash_segv"]?["stderr"] as? String)?.contains("fixture: about to segfault") == true)
    }

    @Test func workersGetTheirIndexThreadCapsAndGPUSlices() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(
            args: ["-n", "2", "--gpus-per-worker", "2", "--json", path.path, "w::t01", "w::t02", "w::t03", "w::t04", "w::t05", "w::t06"],
            cwd: fixtures.appendingPathComponent("workers"),
            environment: ["CUDA_VISIBLE_DEVICES": "0,1,2,3", "MKL_NUM_THREADS": "7"]
        )
        #expect(result.exitCode == 0, "\(result)")
        for test in tests(try report(path)).values {
            let values = try #require(test["values"] as? [String: Any])
            let worker = try #require(test["worker"] as? Int)
            #expect(values["MLRUN_WORKER"] as? String == String(worker))
            #expect(values["MLRUN_WORKERS"] as? String == "2")
            #expect(values["CUDA_VISIBLE_DEVICES"] as? String == (worker == 0 ? "0,1" : "2,3"))
            #expect(values["MKL_NUM_THREADS"] as? String == "7", "a variable the user set is kept")
            let cpus = ProcessInfo.processInfo.activeProcessorCount
            #expect(values["OMP_NUM_THREADS"] as? String == String(max(1, cpus / 2)))
        }
        let tooFew = try await runMLRun(
            args: ["-n", "2", "--gpus-per-worker", "3"], cwd: fixtures.appendingPathComponent("workers"),
            environment: ["CUDA_VISIBLE_DEVICES": "0,1,2,3"])
        #expect(tooFew.exitCode == 4)
        #expect(tooFew.stderr.contains("needs 6 GPUs; 4 are visible"), "\(tooFew)")
    }

    @Test func groupMembersNeverOverlapAndOthersRunInParallel() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile(
            "runner.toml", in: scratch,
            """
            [runner.groups]
            gpu_box = { max_parallel = 1 }
            [[fixture]]
            name = "g"
            tests = ["stamp:a:gpu_box", "stamp:b:gpu_box", "stamp:c:gpu_box", "stamp:d:serial", "stamp:e:serial", "stamp:x", "stamp:y", "stamp:z"]
            """)
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runProcess(try fixtureBinary(), args: ["-n", "2", "--json", path.path, "--strict-markers"], cwd: scratch)
        #expect(result.exitCode == 0, "\(result)")
        let byID = tests(try report(path))
        func span(_ name: String) throws -> (Double, Double) {
            let values = try #require(byID["g::\(name)"]?["values"] as? [String: Any])
            return (try #require(values["start"] as? Double), try #require(values["end"] as? Double))
        }
        func overlap(_ a: (Double, Double), _ b: (Double, Double)) -> Bool { a.0 < b.1 && b.0 < a.1 }
        for group in [["a", "b", "c"], ["d", "e"]] {
            for i in group.indices {
                for j in group.indices where j > i {
                    #expect(try !overlap(span(group[i]), span(group[j])), "\(group[i]) and \(group[j]) overlapped")
                }
            }
        }
        // The run really was parallel: some pair of tests did overlap.
        let names = ["a", "b", "c", "d", "e", "x", "y", "z"]
        var anyOverlap = false
        for i in names.indices { for j in names.indices where j > i { if try overlap(span(names[i]), span(names[j])) { anyOverlap = true } } }
        #expect(anyOverlap)
    }

    @Test func rerunsMarkFlakyTestsAndKeepRealFailures() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile("runner.toml", in: scratch, "[[fixture]]\nname = \"r\"\ntests = [\"flaky:f\", \"fail:bad\", \"pass:ok\"]\n")
        let path = scratch.appendingPathComponent("r.json")
        for workers in [nil, "2"] {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? [] where file.hasPrefix("flaky-") {
                try FileManager.default.removeItem(at: scratch.appendingPathComponent(file))
            }
            let result = try await runProcess(
                try fixtureBinary(), args: ["--reruns", "2", "--json", path.path] + (workers.map { ["-n", $0] } ?? []),
                cwd: scratch, environment: ["FIXTURE_STATE": scratch.appendingPathComponent("state").path])
            #expect(result.exitCode == 1, "\(result)")
            let report = try report(path)
            let byID = tests(report)
            #expect(byID["r::f"]?["outcome"] as? String == "passed")
            #expect(byID["r::f"]?["attempts"] as? Int == 2)
            #expect(byID["r::f"]?["flaky"] as? Bool == true)
            #expect(byID["r::bad"]?["outcome"] as? String == "failed")
            #expect(byID["r::bad"]?["attempts"] as? Int == 3)
            #expect(byID["r::ok"]?["flaky"] == nil)
            #expect((report["summary"] as? [String: Any])?["flaky"] as? Int == 1)
            #expect(result.stdout.contains("flaky (passed on a retry): r::f"))
        }
    }

    @Test func lastFailedFailedFirstAndStoredDurations() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile("runner.toml", in: scratch, "[[fixture]]\nname = \"h\"\ntests = [\"pass:a\", \"fail:b\", \"pass:c\", \"fail:d\"]\n")
        let first = try await runProcess(try fixtureBinary(), args: ["--store-durations", "h::a", "h::b"], cwd: scratch)
        #expect(first.exitCode == 1)
        let second = try await runProcess(try fixtureBinary(), args: ["--store-durations", "h::c", "h::d"], cwd: scratch)
        #expect(second.exitCode == 1)
        let durations =
            try JSONSerialization.jsonObject(with: Data(contentsOf: scratch.appendingPathComponent(".mlrun/durations.json"))) as? [String: Any]
        #expect(
            Set(((durations?["durations"] as? [String: Any]) ?? [:]).keys) == ["h::a", "h::b", "h::c", "h::d"],
            "durations are merged, not overwritten")

        let path = scratch.appendingPathComponent("r.json")
        let lf = try await runProcess(try fixtureBinary(), args: ["--lf", "--json", path.path], cwd: scratch)
        #expect(lf.exitCode == 1)
        #expect(Set(tests(try report(path)).keys) == ["h::b", "h::d"])

        let events = scratch.appendingPathComponent("events.jsonl")
        _ = try await runProcess(try fixtureBinary(), args: ["--ff", "--events", events.path], cwd: scratch)
        let started = try String(contentsOf: events, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "test_started" }.compactMap { $0["id"] as? String }
        #expect(started == ["h::b", "h::d", "h::a", "h::c"])
    }

    @Test func streamedOutputIsPrefixedByWorker() async throws {
        let result = try await runMLRun(args: ["-n", "2", "-s", "-q", "w::t01", "w::t02", "w::t03"], cwd: fixtures.appendingPathComponent("workers"))
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("running t0") }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("[gw0] running") || $0.hasPrefix("[gw1] running") }, "\(lines)")
    }

    @Test func distSuiteKeepsEachSuiteOnOneWorker() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile(
            "runner.toml", in: scratch,
            """
            [[fixture]]
            name = "one"
            tests = ["sleep50:a", "sleep50:b", "sleep50:c", "sleep50:d"]
            [[fixture]]
            name = "two"
            tests = ["sleep50:a", "sleep50:b", "sleep50:c", "sleep50:d"]
            """)
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runProcess(try fixtureBinary(), args: ["-n", "2", "--dist", "suite", "--json", path.path], cwd: scratch)
        #expect(result.exitCode == 0, "\(result)")
        let all = try report(path)["tests"] as! [[String: Any]]
        for suite in ["one", "two"] {
            #expect(Set(all.filter { $0["suite"] as? String == suite }.compactMap { $0["worker"] as? Int }).count == 1)
        }
        #expect(Set(all.compactMap { $0["worker"] as? Int }) == [0, 1], "the two suites went to different workers")
    }

    @Test func restartBudgetGivesUpOnTheRest() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeFile(
            "runner.toml", in: scratch, "[[fixture]]\nname = \"c\"\ntests = [\"exit3:a\", \"exit3:b\", \"exit3:c\", \"pass:d\", \"pass:e\"]\n")
        let path = scratch.appendingPathComponent("r.json")
        let result = try await runProcess(try fixtureBinary(), args: ["-n", "1", "--max-worker-restart", "1", "--json", path.path], cwd: scratch)
        #expect(result.exitCode == 1)
        let byID = tests(try report(path))
        #expect(byID.count == 5)
        #expect(byID["c::a"]?["outcome"] as? String == "crashed")
        #expect(byID["c::b"]?["outcome"] as? String == "crashed")
        for name in ["c::c", "c::d", "c::e"] {
            #expect(byID[name]?["outcome"] as? String == "error")
            #expect((byID[name]?["message"] as? String)?.contains("over --max-worker-restart 1") == true)
        }
    }

    @Test func autoUsesTheAvailableCPUs() async throws {
        let result = try await runMLRun(args: ["-n", "auto", "w::t01", "w::t02"], cwd: fixtures.appendingPathComponent("workers"))
        #expect(result.exitCode == 0, "\(result)")
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        #expect(result.stdout.contains("· \(cpus) worker"), "\(result.stdout)")
        let bad = try await runMLRun(args: ["-n", "zero"], cwd: fixtures.appendingPathComponent("workers"))
        #expect(bad.exitCode == 4)
    }

    @Test func sigintWithWorkersWritesReportsAndExitsTwo() async throws {
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let events = scratch.appendingPathComponent("e.jsonl")
        let run = try await runAndInterrupt(
            args: ["-n", "2", "--json", report.path, "--events", events.path, "-q"],
            cwd: fixtures.appendingPathComponent("interrupt"), eventsFile: events,
            // a_quick may run on the other worker, whose plugin can start later than c_hangs does.
            markers: ["\"test_started\",\"id\":\"slowpoke::c_hangs\"", "\"test_finished\",\"test\":{\"id\":\"slowpoke::a_quick\""],
            settle: .milliseconds(300))
        #expect(run.status == 2)
        let byID = tests(try self.report(report))
        #expect(byID.count == 4)
        #expect(byID["slowpoke::c_hangs"]?["outcome"] as? String == "skipped")
        #expect(byID["slowpoke::c_hangs"]?["message"] as? String == "interrupted by SIGINT while running")
        #expect(byID["slowpoke::a_quick"]?["outcome"] as? String == "passed")
    }
}
