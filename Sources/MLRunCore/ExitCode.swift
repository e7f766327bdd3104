/// mlrun's exit codes (SPEC §3, pytest's numbering). The only place they are defined.
public enum MLRunExitCode: Int32, Sendable {
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
