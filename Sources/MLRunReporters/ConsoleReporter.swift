import Foundation
import MLRunCore

/// The console: a header, live progress, failures with their messages, slowest tests, and
/// a closing summary line in pytest's shape (`3 passed, 1 failed in 0.52s`).
package final class ConsoleReporter: Reporter {
    package enum Verbosity: Sendable { case quiet, normal, verbose }

    private let output: TextSink
    private let verbosity: Verbosity
    private let colour: Bool
    private let durations: Int?
    private let explain: Bool
    private var header: RunHeader?
    private var results: [TestResult] = []
    private var done = 0
    private var lineSuite: String?
    private var lineLength = 0

    /// - Parameters:
    ///   - colour: whether to use ANSI colours (decided by the caller: a terminal and no `NO_COLOR`).
    ///   - durations: list the N slowest tests at the end (`--durations N`; 0 lists all).
    ///   - explain: under `--collect-only`, say why each test was selected or deselected.
    package init(output: TextSink, verbosity: Verbosity, colour: Bool, durations: Int?, explain: Bool = false) {
        self.explain = explain
        self.output = output
        self.verbosity = verbosity
        self.colour = colour
        self.durations = durations
    }

    package func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(let header): started(header)
        case .testStarted: break
        case .testFinished(let result): finished(result)
        case .runFinished(let summary): ended(summary)
        }
    }

    private var total: Int { (header?.selected ?? 0) }

    private func started(_ header: RunHeader) {
        self.header = header
        guard verbosity != .quiet || header.collectOnly else { return }
        if verbosity != .quiet {
            output.write(paint("mlrun \(ReportJSON.version)", .bold) + " · config \(header.configFile.path) · seed \(header.seed)\n")
            output.write(
                "collected \(header.collected) test\(header.collected == 1 ? "" : "s") · selected \(header.selected) · deselected \(header.deselected.count)"
                    + (header.workers.map { " · \($0) worker\($0 == 1 ? "" : "s")" } ?? "") + "\n")
            if let shard = header.shard {
                output.write(
                    "shard \(shard.spec) by \(shard.spec.strategy.rawValue) of \(shard.selectionCount) selected tests"
                        + (shard.source.map { " (from \($0))" } ?? "") + "\n")
            }
            for note in header.notes { output.write(note.text + "\n") }
        }
        if header.collectOnly && explain {
            for test in header.tests {
                output.write(paint("selected", .green) + "   \(test.id): \(test.selectedBecause ?? "matches the filters given")\n")
            }
            for deselection in header.deselected {
                output.write(paint("deselected", .dim) + " \(deselection.id): \(deselection.reason.text)\n")
            }
        } else if header.collectOnly {
            for test in header.tests {
                let markers = test.markers.isEmpty ? "" : "  [" + test.markers.map(\.description).joined(separator: ", ") + "]"
                output.write(test.id.description + (verbosity == .verbose ? markers : "") + "\n")
            }
            if verbosity == .verbose {
                for deselection in header.deselected {
                    output.write(paint("deselected \(deselection.id): \(deselection.reason.text)", .dim) + "\n")
                }
            }
        }
        output.flush()
    }

    private func finished(_ result: TestResult) {
        results.append(result)
        if result.id.name != "(discovery)" { done += 1 }
        switch verbosity {
        case .quiet:
            break
        case .verbose:
            let word = result.outcome.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
            let count = "[\(String(done).leftPadded(to: String(total).count))/\(total)]"
            output.write(
                "\(paint(word, style(for: result.outcome))) \(result.id) \(paint(String(format: "(%.3fs)", result.duration), .dim)) \(count)\n")
            output.flush()
        case .normal:
            if lineSuite != result.id.suite || lineLength >= 60 {
                endProgressLine()
                lineSuite = result.id.suite
                output.write(result.id.suite + " ")
            }
            output.write(paint(letter(for: result.outcome), style(for: result.outcome)))
            lineLength += 1
            if output.isTerminal { output.flush() }
        }
    }

    private func endProgressLine() {
        guard lineSuite != nil else { return }
        output.write(" [\(String(done).leftPadded(to: String(total).count))/\(total)]\n")
        lineSuite = nil
        lineLength = 0
        output.flush()
    }

    private func ended(_ summary: RunSummary) {
        endProgressLine()
        let problems = results.filter { $0.outcome.isFailure }.sorted { $0.id < $1.id }
        if !problems.isEmpty {
            output.write("\n" + paint(banner("FAILURES"), .red) + "\n")
            for result in problems {
                output.write(paint("___ \(result.id) (\(result.outcome.rawValue)) ___", .red) + "\n")
                if !result.message.isEmpty { output.write(result.message + "\n") }
                let stderr = Self.tail(result.stderr, lines: 20)
                if !stderr.isEmpty, !result.message.contains(stderr) {
                    output.write(paint("--- captured stderr (last lines) ---", .dim) + "\n" + stderr + "\n")
                }
                output.write("\n")
            }
        }
        if let durations {
            let slowest = results.filter { $0.outcome != .collected }.sorted { $0.duration > $1.duration }
            let shown = durations == 0 ? slowest : Array(slowest.prefix(durations))
            output.write(banner("slowest \(durations == 0 ? "" : "\(shown.count) ")durations") + "\n")
            for result in shown {
                output.write(
                    String(format: "%9.3fs ", result.duration)
                        + "\(result.outcome.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(result.id)\n")
            }
        }
        if !summary.flaky.isEmpty {
            output.write(paint("flaky (passed on a retry): ", .yellow) + summary.flaky.map(\.description).joined(separator: ", ") + "\n")
        }
        if let signal = summary.interruptedBy {
            output.write(paint("!!! interrupted by \(signal): reports hold the tests that finished !!!", .red) + "\n")
        }
        var parts: [String] = []
        if header?.collectOnly == true {
            parts.append("\(summary.selected) test\(summary.selected == 1 ? "" : "s") collected")
            if summary[.error] > 0 { parts.append(paint("\(summary[.error]) error\(summary[.error] == 1 ? "" : "s")", .red)) }
        } else {
            for outcome in [Outcome.passed, .failed, .error, .crashed, .timeout, .skipped] where summary[outcome] > 0 {
                let noun = outcome == .error && summary[outcome] > 1 ? "errors" : outcome.rawValue
                parts.append(paint("\(summary[outcome]) \(noun)", style(for: outcome)))
            }
        }
        if !summary.flaky.isEmpty { parts.append(paint("\(summary.flaky.count) flaky", .yellow)) }
        if summary.deselected > 0 { parts.append("\(summary.deselected) deselected") }
        if parts.isEmpty { parts.append("no tests ran") }
        output.write(parts.joined(separator: ", ") + String(format: " in %.2fs", summary.duration) + "\n")
        output.flush()
    }

    private func banner(_ title: String) -> String {
        let side = String(repeating: "=", count: max(3, (70 - title.count - 2) / 2))
        return "\(side) \(title) \(side)"
    }

    static func tail(_ text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(lines).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func letter(for outcome: Outcome) -> String {
        switch outcome {
        case .passed: return "."
        case .failed: return "F"
        case .skipped: return "s"
        case .error: return "E"
        case .crashed: return "C"
        case .timeout: return "T"
        case .collected: return "c"
        }
    }

    private enum Style { case bold, dim, red, green, yellow, plain }

    private func style(for outcome: Outcome) -> Style {
        switch outcome {
        case .passed: return .green
        case .skipped: return .yellow
        case .collected: return .plain
        default: return .red
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        guard colour else { return text }
        let code: String
        switch style {
        case .bold: code = "1"
        case .dim: code = "2"
        case .red: code = "31"
        case .green: code = "32"
        case .yellow: code = "33"
        case .plain: return text
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Where the console writes: buffered, flushed at line ends and on request.
package final class TextSink: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Whether the descriptor is a terminal.
    package let isTerminal: Bool

    package init(descriptor: Int32) {
        self.descriptor = descriptor
        self.isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(1 << 16)
    }

    package func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    package func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
