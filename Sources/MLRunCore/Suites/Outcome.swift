/// The final outcome of a test (SPEC §5), plus `collected` for `--collect-only` reports.
public enum Outcome: String, Sendable, CaseIterable {
    case passed, failed, skipped, error, crashed, timeout, collected

    /// Whether this outcome makes the run fail (exit 1).
    public var isFailure: Bool {
        switch self {
        case .failed, .error, .crashed, .timeout: return true
        case .passed, .skipped, .collected: return false
        }
    }
}

/// What running one test came to: an outcome and a message (empty when it passed).
public struct TestVerdict: Sendable, Equatable {
    public var outcome: Outcome
    public var message: String

    public init(_ outcome: Outcome, _ message: String = "") {
        self.outcome = outcome
        self.message = message
    }

    public static let passed = TestVerdict(.passed)
    public static func failed(_ message: String) -> TestVerdict { TestVerdict(.failed, message) }
    public static func skipped(_ reason: String) -> TestVerdict { TestVerdict(.skipped, reason) }
    public static func error(_ message: String) -> TestVerdict { TestVerdict(.error, message) }
    public static func crashed(_ message: String) -> TestVerdict { TestVerdict(.crashed, message) }
    public static func timeout(_ message: String) -> TestVerdict { TestVerdict(.timeout, message) }
}
