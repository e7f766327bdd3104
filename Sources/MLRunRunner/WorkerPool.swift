import Foundation
import MLRunProtocol

/// The `-n` worker processes: how many, how work is spread, and how each is started.
package struct WorkerPool: Sendable {
    /// `--dist`: `load` hands each test to whichever worker frees up; `suite` keeps each
    /// suite's tests on one worker (for expensive per-suite setup).
    package enum Distribution: String, Sendable, CaseIterable {
        case load, suite
    }

    package var workers: Int
    package var distribution: Distribution
    /// Test groups: group name → most tests of the group running at once. A test joins a
    /// group through a marker of the group's name.
    package var groups: [String: Int]
    /// How many lost worker processes (crash, timeout) are replaced before the remaining
    /// tests are given up as `error`.
    package var maxRestarts: Int
    /// The mlrun worker command (run with `run` appended); the environment is per worker.
    package var workerCommand: [String]
    package var configDirectory: URL
    /// Variables per worker: `MLRUN_WORKER`, `MLRUN_WORKERS`, thread caps, GPUs.
    package var environments: [[String: String]]
    /// Under `-s`: echo each worker's output, prefixed with its id.
    package var echoOutput: Bool

    package init(
        workers: Int, distribution: Distribution, groups: [String: Int], maxRestarts: Int, workerCommand: [String],
        configDirectory: URL, environments: [[String: String]], echoOutput: Bool
    ) {
        self.workers = workers
        self.distribution = distribution
        self.groups = groups
        self.maxRestarts = maxRestarts
        self.workerCommand = workerCommand
        self.configDirectory = configDirectory
        self.environments = environments
        self.echoOutput = echoOutput
    }

    package func environment(_ worker: Int) -> [String: String] {
        worker < environments.count ? environments[worker] : ["MLRUN_WORKER": String(worker), "MLRUN_WORKERS": String(workers)]
    }

    func workerLaunch(_ worker: Int) -> ProgramLaunch {
        ProgramLaunch(argv: workerCommand, directory: configDirectory, environment: environment(worker))
    }

    /// Where worker `worker`'s output goes as it is produced under `-s`: stderr, each line
    /// prefixed with `[gwN]` (one write per chunk, so lines of two workers never mix).
    func echo(_ worker: Int) -> (@Sendable (String) -> Void)? {
        guard echoOutput else { return nil }
        let prefix = "[gw\(worker)] "
        return { text in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            let out = lines.map { prefix + $0 }.joined(separator: "\n") + "\n"
            FileHandle.standardError.write(Data(out.utf8))
        }
    }

    /// The variables each of `workers` workers gets: `MLRUN_WORKER`, `MLRUN_WORKERS`, and
    /// unless the user set them, `OMP_NUM_THREADS`, `OPENBLAS_NUM_THREADS`, `MKL_NUM_THREADS`
    /// = max(1, CPUs ÷ workers); with `gpusPerWorker` K, worker w gets visible GPUs
    /// w·K ..< (w+1)·K as `CUDA_VISIBLE_DEVICES`.
    package static func environments(
        workers: Int, cpus: Int, gpus: [String], gpusPerWorker: Int?,
        inherited: [String: String]
    ) -> [[String: String]] {
        let threads = String(max(1, cpus / max(1, workers)))
        return (0..<workers).map { worker in
            var variables = ["MLRUN_WORKER": String(worker), "MLRUN_WORKERS": String(workers)]
            for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] where inherited[name] == nil {
                variables[name] = threads
            }
            // A crashing Swift worker prints a backtrace before it dies; fast symbolication
            // keeps that from eating into the test's time limit.
            if inherited["SWIFT_BACKTRACE"] == nil { variables["SWIFT_BACKTRACE"] = "enable=yes,symbolicate=fast" }
            if let k = gpusPerWorker, k > 0, !gpus.isEmpty {
                let slice = gpus.dropFirst(worker * k).prefix(k)
                variables["CUDA_VISIBLE_DEVICES"] = slice.joined(separator: ",")
            }
            return variables
        }
    }
}
