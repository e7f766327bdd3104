import Foundation
import Testing

/// End-to-end: ids written ahead of results (SPEC §7). The `pipeline` fixture's program logs
/// every id it receives, starts and ends, with its pid, so the tests see what was written
/// ahead to which process and that nothing ran twice.
@Suite struct PipelineTests {
    let fixture = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/pipeline")

    /// A copy of the fixture in a fresh folder (no `.mlrun/` history from other runs).
    func scratchCopy() throws -> URL {
        let scratch = try makeTemporaryDirectory()
        for name in ["plugin.py", "runner.toml"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
        }
        return scratch
    }

    func tests(_ url: URL) throws -> [String: [String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return Dictionary(uniqueKeysWithValues: (report["tests"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    /// Whether process `pid` has ended (or ends within `limit`: a killed process is reaped
    /// by init once its parent, mlrun, has gone).
    func processIsGone(pid: String, within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return true }
            if "ZX".contains(stat[stat.index(close, offsetBy: 2)]) { return true }
            usleep(50_000)
        }
        return false
    }

    /// The program's log: (pid, event, id) per line (its times left out).
    func log(_ url: URL) throws -> [(pid: String, event: String, id: String)] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: " ").map(String.init)
            return (parts[0], parts[1], parts[2])
        }
    }

    @Test func crashMalformedAndHangBlameTheStartedTestAndTheRestRunOnceInAFreshProcess() async throws {
        let scratch = try scratchCopy()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let logFile = scratch.appendingPathComponent("log")
        let result = try await runMLRun(
            args: ["--json", report.path, "-k", "not j_fail and not k_sleepy and not l_after"], cwd: scratch,
            environment: ["PIPELINE_LOG": logFile.path])
        #expect(result.exitCode == 1, "\(result)")
        let byID = try tests(report)
        #expect(byID.count == 68)
        #expect(byID["pipe::b_crash"]?["outcome"] as? String == "crashed")
        #expect((byID["pipe::b_crash"]?["message"] as? String)?.contains("SIGSEGV") == true)
        #expect((byID["pipe::b_crash"]?["stderr"] as? String) == "about to crash\n")
        #expect(byID["pipe::d_malformed"]?["outcome"] as? String == "error")
        #expect((byID["pipe::d_malformed"]?["message"] as? String)?.contains("not json at all") == true)
        #expect(byID["pipe::f_hang"]?["outcome"] as? String == "timeout")
        let others = byID.filter { !["pipe::b_crash", "pipe::d_malformed", "pipe::f_hang"].contains($0.key) }
        #expect(others.values.allSatisfy { $0["outcome"] as? String == "passed" }, "\(others.filter { $0.value["outcome"] as? String != "passed" })")

        let events = try log(logFile)
        // Every test started exactly once: nothing written ahead ran twice or was lost.
        let starts = events.filter { $0.event == "start" }.map(\.id)
        #expect(starts.count == 68 && Set(starts).count == 68)
        // Ids were written ahead to the process that crashed, and ran in a fresh one.
        for (culprit, next) in [("b_crash", "c_after_crash_00"), ("d_malformed", "e_after_malformed_00"), ("f_hang", "g_after_hang_00")] {
            let pid = try #require(events.first { $0.event == "start" && $0.id == culprit }?.pid)
            #expect(events.contains { $0.pid == pid && $0.event == "recv" && $0.id == next }, "\(next) was not written ahead of \(culprit)")
            let ranIn = try #require(events.first { $0.event == "start" && $0.id == next }?.pid)
            #expect(ranIn != pid)
        }
    }

    @Test func timeLimitsCountFromStartNotFromWhenTheIdWasWritten() async throws {
        // Four 0.5 s tests with a 1 s limit each, queued behind each other: h_slow_4 waits
        // 1.5 s in the program's stdin, and passes. They queue only when mlrun's window has
        // grown during the fast tests, which a test taking over 50 ms (a busy machine) resets;
        // a run where h_slow_4 was not written ahead proves nothing, so it is run again.
        var queued = false
        for _ in 1...4 where !queued {
            let scratch = try scratchCopy()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let report = scratch.appendingPathComponent("r.json")
            let logFile = scratch.appendingPathComponent("log")
            let result = try await runMLRun(
                args: ["--json", report.path, "-k", "a_fast or h_slow"], cwd: scratch, environment: ["PIPELINE_LOG": logFile.path])
            #expect(result.exitCode == 0, "\(result)")
            let byID = try tests(report)
            #expect(byID.count == 34)
            #expect(byID.values.allSatisfy { $0["outcome"] as? String == "passed" })
            let events = try log(logFile)
            let received = try #require(events.firstIndex { $0.event == "recv" && $0.id == "h_slow_4" })
            let firstSlowStarted = try #require(events.firstIndex { $0.event == "start" && $0.id == "h_slow_1" })
            queued = received < firstSlowStarted
        }
        #expect(queued, "h_slow_4 was never queued behind the other slow tests in 4 runs")
    }

    @Test func exitFirstStopsWithoutRunningWhatWasWrittenAhead() async throws {
        // As above, a run where l_after was not written ahead (a busy machine kept the
        // window small) proves nothing, so it is run again.
        var writtenAhead = false
        for _ in 1...4 where !writtenAhead {
            let scratch = try scratchCopy()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let report = scratch.appendingPathComponent("r.json")
            let logFile = scratch.appendingPathComponent("log")
            let result = try await runMLRun(
                args: ["-x", "--json", report.path, "-k", "a_fast or j_fail or k_sleepy or l_after"], cwd: scratch,
                environment: ["PIPELINE_LOG": logFile.path])
            #expect(result.exitCode == 1, "\(result)")
            // mlrun's own duration: when this process sees it end depends on the other tests
            // running beside this one (see `InterruptedRun.secondsUntilWritten`).
            let seconds = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])["duration_s"]
            #expect((seconds as? Double ?? 99) < 15, "-x waited for the sleepy test written ahead: \(result)")
            let byID = try tests(report)
            #expect(byID.count == 33)
            #expect(byID["pipe::j_fail"]?["outcome"] as? String == "failed")
            for id in ["pipe::k_sleepy", "pipe::l_after"] {
                #expect(byID[id]?["outcome"] as? String == "skipped")
                #expect(byID[id]?["message"] as? String == "not run: stopped after the first failure (-x)")
            }
            let events = try log(logFile)
            #expect(!events.contains { $0.event == "start" && $0.id == "l_after" })
            #expect(!events.contains { $0.event == "end" && $0.id == "k_sleepy" })
            if let sleeper = events.first(where: { $0.event == "start" && $0.id == "k_sleepy" })?.pid {
                #expect(processIsGone(pid: sleeper, within: .seconds(10)), "k_sleepy's process \(sleeper) outlived mlrun")
            }
            writtenAhead = events.contains { $0.event == "recv" && $0.id == "l_after" }
        }
        #expect(writtenAhead, "l_after was never written ahead in 4 runs")
    }

    @Test func interruptGivesEveryTestOneOutcome() async throws {
        let scratch = try scratchCopy()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let events = scratch.appendingPathComponent("events.jsonl")
        let logFile = scratch.appendingPathComponent("log")
        let run = try await runAndInterrupt(
            args: ["--json", report.path, "--events", events.path, "-q", "-k", "a_fast or k_sleepy or l_after"], cwd: scratch,
            eventsFile: events, markers: ["\"test_started\",\"id\":\"pipe::k_sleepy\""], settle: .milliseconds(200),
            environment: ["PIPELINE_LOG": logFile.path])
        #expect(run.status == 2)
        #expect(try run.secondsUntilWritten(report) < 5)
        // k_sleepy's process was killed, not waited for.
        let log = try log(logFile)
        #expect(!log.contains { $0.event == "end" && $0.id == "k_sleepy" })
        let sleeper = try #require(log.first { $0.event == "start" && $0.id == "k_sleepy" }?.pid)
        #expect(processIsGone(pid: sleeper, within: .seconds(10)), "k_sleepy's process \(sleeper) outlived mlrun")
        let byID = try tests(report)
        #expect(byID.count == 32)
        #expect(byID.values.filter { $0["outcome"] as? String == "passed" }.count == 30)
        #expect(byID["pipe::k_sleepy"]?["outcome"] as? String == "skipped")
        #expect(byID["pipe::l_after"]?["outcome"] as? String == "skipped")
        #expect(byID["pipe::l_after"]?["message"] as? String == "not run: the run was interrupted (SIGINT)")
    }

    @Test func workersStillShareTheWorkAndTheSlowTests() async throws {
        let scratch = try scratchCopy()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("r.json")
        let result = try await runMLRun(args: ["-n", "2", "--json", report.path, "-k", "a_fast or h_slow"], cwd: scratch)
        #expect(result.exitCode == 0, "\(result)")
        let byID = try tests(report)
        #expect(byID.count == 34)
        #expect(Set(byID.values.compactMap { $0["worker"] as? Int }) == [0, 1])
        // Which worker runs the four slow tests depends on the machine's load (a worker whose
        // process starts late may get none of them); the fair-share cap on reservations is
        // checked exactly by the dispatcher's own tests (MLRunRunnerTests).
        let slowWorkers = byID.filter { $0.key.hasPrefix("pipe::h_slow") }.values.compactMap { $0["worker"] as? Int }
        #expect(slowWorkers.count == 4)
    }
}
