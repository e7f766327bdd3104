import Foundation
import MLRunCore
import MLRunRunner

extension Session {
    /// The `-n` pool, or nil to run in-process.
    func workerPool(config: RunnerConfig, configFile: URL) -> WorkerPool? {
        guard let workers = configuration.workers else { return nil }
        return WorkerPool(
            workers: workers.count,
            distribution: workers.distribution,
            groups: config.groups,
            maxRestarts: workers.maxRestarts,
            workerCommand: [Session.executablePath(), "__worker", "-c", configFile.path, "--seed", String(configuration.seed)]
                + (configuration.updateBaselines ? ["--update-baselines"] : []),
            configDirectory: config.directory,
            environments: WorkerPool.environments(
                workers: workers.count, cpus: workers.cpus, gpus: workers.gpus,
                gpusPerWorker: workers.gpusPerWorker, inherited: ProcessInfo.processInfo.environment),
            echoOutput: configuration.streamOutput
        )
    }

    /// This executable, to re-execute as a worker (a team's own build brings its plugins).
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CommandLine.arguments[0]
    }
}
