import Foundation

/// Finding the Python interpreter a test compares with (scikit-learn, SciPy, statsmodels…).
package enum PythonOracle {
    /// The oracle was required (its variable set) but no interpreter imports its modules.
    package struct Missing: Error, CustomStringConvertible {
        package var description: String
    }

    /// The first of `MLRUN_PYTHON` (when set), `extraCandidates` and `python3` that imports
    /// every one of `modules`, or nil when none does.
    ///
    /// - Throws: ``Missing`` when none does and the environment variable `requiredBy` is set
    ///   (not empty, not "0"), as CI sets it: there a missing oracle fails the test instead of
    ///   leaving only the committed fixtures checked.
    package static func interpreter(
        importing modules: [String], requiredBy variable: String,
        extraCandidates: [String] = []
    ) async throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let configured = environment["MLRUN_PYTHON"], !configured.isEmpty { candidates.append(configured) }
        candidates += extraCandidates.filter { !$0.contains("/") || FileManager.default.isExecutableFile(atPath: $0) }
        candidates.append("python3")
        var reasons: [String] = []
        for candidate in candidates {
            let probe = try? await ExternalProgram.run(candidate, ["-c", "import " + modules.joined(separator: ", ")])
            if let probe, probe.status == 0 { return candidate }
            reasons.append("\(candidate): \(probe?.stderr.split(separator: "\n").last.map(String.init) ?? "cannot start")")
        }
        let message = "no interpreter imports \(modules.joined(separator: ", ")) (\(reasons.joined(separator: "; ")))"
        if let required = environment[variable], !required.isEmpty, required != "0" {
            throw Missing(description: "\(variable) is set but \(message)")
        }
        print("skipping the live comparison: \(message); the committed fixtures were checked")
        return nil
    }
}
