import Foundation
import MLRunTestSupport
import MetricGates
import Testing

@Suite struct MetricGatesTests {
    /// A folder with a metrics file for the plugin to read.
    func folder(metrics: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(metrics.utf8).write(to: url.appendingPathComponent("metrics.json"))
        return url
    }

    @Test func conformsToThePluginContract() async throws {
        let dir = try folder(metrics: #"{"accuracy": 0.8, "log_loss": 0.3}"#)
        let problems = await PluginVerifier.verify(
            MetricGatesPlugin(),
            config: """
                [[gates]]
                name = "g"
                metrics = "metrics.json"
                min = { accuracy = 0.85 }
                max = { log_loss = 0.4 }
                """, in: dir)
        #expect(problems.isEmpty, "\(problems)")
    }
}
