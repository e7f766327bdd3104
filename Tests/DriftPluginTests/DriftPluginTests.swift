import DriftPlugin
import Foundation
import MLRunTestSupport
import Testing

/// `[[drift]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct DriftPluginTests {
    @Test func conformsToThePluginContract() async throws {
        let folder = try SuiteHarness.folder([
            "reference.csv": "age,device\n31,a\n45,b\n29,a\n52,b\n38,a\n",
            "current.csv": "age,device\n33,a\n47,b\n61,b\n40,a\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let problems = await PluginVerifier.verify(
            DriftPlugin(),
            config: """
                [[drift]]
                name = "features"
                reference = "reference.csv"
                current = "current.csv"
                """, in: folder)
        #expect(problems.isEmpty, "\(problems)")
    }
}
