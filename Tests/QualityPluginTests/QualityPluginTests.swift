import MLRunTestSupport
import QualityPlugin
import Testing

/// `[[quality]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct QualityPluginTests {
    @Test func conformsToThePluginContract() async {
        let config = QualitySuiteTests.config("segments = [\"device\"]")
        let problems = await PluginVerifier.verify(QualityPlugin(), config: config, files: ["p.csv": QualitySuiteTests.predictions])
        #expect(problems.isEmpty, "\(problems)")
    }
}
