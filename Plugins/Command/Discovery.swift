import Foundation
import MLRunCore
import MLRunProtocol
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Runs a plugin's `discover` command and reads the tests it prints.
enum Discovery {
    struct Output {
        var lines: [String]
        var stderr: String
        var status: TerminationStatus
    }

    /// Runs `argv + ["discover"]` with stdin closed; kills its process group after `limit` seconds.
    static func run(argv: [String], directory: URL, environment: [String: String], limit: Double) async throws(SuiteError) -> Output {
        let launch = ProgramLaunch(argv: argv, directory: directory, environment: environment)
        let timedOut = Flag()
        do {
            let result = try await Subprocess.run(
                launch.executable,
                arguments: launch.arguments("discover"),
                environment: launch.environmentUpdates,
                workingDirectory: launch.workingDirectory,
                platformOptions: launch.platformOptions,
                input: .none,
                output: .sequence,
                error: .sequence
            ) { execution -> ([String], String, String?) in
                let pid = execution.processIdentifier.value
                let watchdog = Task {
                    try? await Task.sleep(for: .seconds(limit))
                    if !Task.isCancelled {
                        timedOut.set()
                        kill(-pid, SIGKILL)
                    }
                }
                defer { watchdog.cancel() }
                return await withTaskGroup(of: String.self) { group in
                    group.addTask {
                        var stderr = BoundedText(limit: 64 << 10)
                        do {
                            for try await buffer in execution.standardError {
                                stderr.append(buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
                            }
                        } catch {}
                        return stderr.text
                    }
                    var lines: [String] = []
                    var problem: String?
                    var splitter = LineSplitter(maxLineLength: PluginProcess.maxLineLength)
                    do {
                        for try await buffer in execution.standardOutput {
                            try buffer.withUnsafeBytes { chunk in
                                try splitter.feed(chunk) { lines.append($0) }
                            }
                        }
                        splitter.finish { lines.append($0) }
                    } catch {
                        problem = "could not read its output: \(error)"
                        kill(-pid, SIGKILL)
                    }
                    let stderr = await group.next() ?? ""
                    return (lines, stderr, problem)
                }
            }
            let (lines, stderr, problem) = result.closureResult
            let program = argv.joined(separator: " ")
            if timedOut.isSet {
                throw SuiteError("discovery (\(program) discover) did not finish within \(Int(limit)) s and was killed" + stderrNote(stderr))
            }
            if let problem { throw SuiteError("discovery (\(program) discover): \(problem)") }
            return Output(lines: lines, stderr: stderr, status: result.terminationStatus)
        } catch let error as SuiteError {
            throw error
        } catch {
            throw SuiteError("cannot start \(argv[0]) in \(directory.path): \(error)")
        }
    }

    static func stderrNote(_ stderr: String) -> String {
        let tail = ProtocolSession.tail(of: stderr, lines: 15)
        return tail.isEmpty ? "" : "; its stderr ends:\n\(tail)"
    }

    /// What a discovery printed: its tests, and the marker names it declares.
    struct Found {
        var tests: [TestCase] = []
        var declaredMarkers: [String] = []
        var defaultSelection: String?
    }

    /// Reads the discovery output; any malformed line fails the whole suite, naming the line.
    ///
    /// A line is a test; or `{"declare_markers": ["slow", …]}`: marker names the program's own
    /// framework declares, which `--strict-markers` then accepts on the suite's tests; or
    /// `{"default_selection": "not slow"}`: the framework's own `-m`, applied when mlrun's
    /// command line has none.
    static func parse(_ output: Output, program: String) throws(SuiteError) -> Found {
        if case .exited(let code) = output.status, code == 0 {
        } else {
            let how: String
            switch PluginProcess.describe(output.status) {
            case .exited(let status, _): how = status
            default: how = "failed"
            }
            throw SuiteError("discovery (\(program) discover) \(how)" + stderrNote(output.stderr))
        }
        var found = Found()
        found.tests.reserveCapacity(output.lines.count)
        for (index, line) in output.lines.enumerated() {
            if line.allSatisfy({ $0.isWhitespace }) { continue }
            do throws(SuiteError) {
                if line.contains("\"declare_markers\""), let names = try declaredMarkers(line) {
                    found.declaredMarkers += names
                } else if line.contains("\"default_selection\""), let expression = try defaultSelection(line) {
                    found.defaultSelection = expression
                } else {
                    found.tests.append(try parseTest(line))
                }
            } catch {
                throw SuiteError("discovery (\(program) discover), output line \(index + 1): \(error.message)")
            }
        }
        return found
    }

    /// The names of a `{"declare_markers": [...]}` line; nil for any other line.
    static func declaredMarkers(_ line: String) throws(SuiteError) -> [String]? {
        guard case .object(let members)? = try? JSONValue.parse(line), members.count == 1, members[0].0 == "declare_markers" else {
            return nil
        }
        guard case .array(let elements) = members[0].1 else { throw SuiteError("\"declare_markers\" must be an array of names") }
        var names: [String] = []
        for element in elements {
            guard let name = element.stringValue, !name.isEmpty else { throw SuiteError("\"declare_markers\" must hold non-empty strings") }
            names.append(name)
        }
        return names
    }

    /// The expression of a `{"default_selection": "..."}` line; nil for any other line.
    static func defaultSelection(_ line: String) throws(SuiteError) -> String? {
        guard case .object(let members)? = try? JSONValue.parse(line), members.count == 1, members[0].0 == "default_selection" else {
            return nil
        }
        guard let expression = members[0].1.stringValue else { throw SuiteError("\"default_selection\" must be a string") }
        return expression
    }

    static func parseTest(_ line: String) throws(SuiteError) -> TestCase {
        let shown = line.count > 200 ? String(line.prefix(200)) + "…" : line
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch {
            throw SuiteError("expected a JSON object, got \(ProtocolLine.quoted(shown)) (\(error))")
        }
        guard case .object = json else { throw SuiteError("expected a JSON object, got \(json.typeName)") }
        guard let id = json["id"]?.stringValue, !id.isEmpty else {
            throw SuiteError("a test needs a non-empty string \"id\": \(ProtocolLine.quoted(shown))")
        }
        guard !id.contains(where: { $0.isNewline }) else { throw SuiteError("test id \(ProtocolLine.quoted(id)) contains a line break") }
        var test = TestCase(name: id)
        switch json["markers"] {
        case nil, .null?: break
        case .array(let elements)?:
            for element in elements {
                do throws(MarkerFormatError) {
                    test.markers.append(try Marker(json: element))
                } catch {
                    throw SuiteError("test \(ProtocolLine.quoted(id)): \(error.message)")
                }
            }
        case let other?: throw SuiteError("test \(ProtocolLine.quoted(id)): \"markers\" must be an array, not \(other.typeName)")
        }
        switch json["paths"] {
        case nil, .null?: break
        case .array(let elements)?:
            for element in elements {
                guard let path = element.stringValue else {
                    throw SuiteError("test \(ProtocolLine.quoted(id)): \"paths\" must hold strings, not \(element.typeName)")
                }
                test.paths.append(path)
            }
        case let other?: throw SuiteError("test \(ProtocolLine.quoted(id)): \"paths\" must be an array, not \(other.typeName)")
        }
        switch json["keywords"] {
        case nil, .null?: break
        case .array(let elements)?:
            var keywords: [String] = []
            for element in elements {
                guard let keyword = element.stringValue else {
                    throw SuiteError("test \(ProtocolLine.quoted(id)): \"keywords\" must hold strings, not \(element.typeName)")
                }
                keywords.append(keyword)
            }
            test.keywords = keywords
        case let other?: throw SuiteError("test \(ProtocolLine.quoted(id)): \"keywords\" must be an array, not \(other.typeName)")
        }
        if let timeout = json["timeout_s"], timeout != .null {
            guard let seconds = timeout.numberValue, seconds > 0, seconds.isFinite else {
                throw SuiteError("test \(ProtocolLine.quoted(id)): \"timeout_s\" must be a positive number")
            }
            test.timeout = seconds
        }
        return test
    }

    /// `directory`'s path relative to `root` with a trailing slash ("" when equal); "" when
    /// `directory` is not inside `root` (paths then stay as the program wrote them).
    static func relativePrefix(of directory: URL, under root: URL) -> String {
        let dir = directory.standardizedFileURL.path
        let base = root.standardizedFileURL.path
        guard dir != base, dir.hasPrefix(base.hasSuffix("/") ? base : base + "/") else { return "" }
        return String(dir.dropFirst(base.count).drop(while: { $0 == "/" })) + "/"
    }
}

/// A boolean that one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
