import Foundation
import MLRunTestSupport
import QualityPlugin
import Testing

/// `[[quality]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct QualityPluginTests {
    @Test func conformsToThePluginContract() async throws {
        let folder = try SuiteHarness.folder(["p.csv": QualitySuiteTests.predictions])
        defer { try? FileManager.default.removeItem(at: folder) }
        let problems = await PluginVerifier.verify(
            QualityPlugin(),
            config: """
                [[quality]]
                name = "m"
                predictions = "p.csv"
                label = "y"
                score = "p"
                segments = ["device"]
                [quality.gates]
                accuracy = { min = 0.75 }
                roc_auc = { min = 0.9 }
                """, in: folder)
        #expect(problems.isEmpty, "\(problems)")
    }
}
