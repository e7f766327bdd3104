/// mlrun's exit codes (SPEC §3, pytest's numbering). The only place they are defined.
package enum MLRunExitCode: Int32, Sendable {
    /// Every selected test passed or was skipped.
    case ok = 0
    /// A test failed, errored, crashed or timed out, or a suite failed to collect.
    case testsFailed = 1
    /// Interrupted by SIGINT or SIGTERM; reports of what finished were written.
    case interrupted = 2
    /// A bug in mlrun.
    case internalError = 3
    /// Bad flag, expression or config; unknown marker under `--strict-markers`.
    case usageError = 4
    /// No test was selected.
    case noTestsSelected = 5
}

extension MLRunExitCode {
    /// The exit code of a run that got as far as running (or listing) its plan — the one rule
    /// the runner, `--collect-only` and `merge-reports` share: interrupted → 2; else any
    /// failing outcome (failed, error, crashed, timeout; a suite that failed to collect is an
    /// `error`) → 1; else nothing selected → 5; else 0.
    package static func of(interrupted: Bool, counts: [Outcome: Int], selected: Int) -> MLRunExitCode {
        if interrupted { return .interrupted }
        if counts.contains(where: { $0.key.isFailure && $0.value > 0 }) { return .testsFailed }
        if selected == 0 { return .noTestsSelected }
        return .ok
    }
}
