import DriftPlugin
import MLRunTestSupport
import Testing

/// `[[drift]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct DriftPluginTests {
    @Test func conformsToThePluginContract() async {
        let config = "[[drift]]\nname = \"features\"\nreference = \"reference.csv\"\ncurrent = \"current.csv\"\n"
        let reference = "age,device\n31,a\n45,b\n29,a\n52,b\n38,a\n", current = "age,device\n33,a\n47,b\n61,b\n40,a\n"
        let problems = await PluginVerifier.verify(DriftPlugin(), config: config, files: ["reference.csv": reference, "current.csv": current])
        #expect(problems.isEmpty, "\(problems)")
    }
}
