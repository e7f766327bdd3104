import DataPlugin
import MLRunTestSupport
import Testing

/// `[[data]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct DataPluginTests {
    @Test func conformsToThePluginContract() async {
        let labels = "[[data]]\nname = \"labels\"\nfile = \"labels.jsonl\"\n[data.columns.label]\nin = [\"yes\", \"no\"]\n"
        let files = ["t.csv": DataSpecTests.file, "labels.jsonl": "{\"label\": \"yes\"}\n{\"label\": \"no\"}\n"]
        let problems = await PluginVerifier.verify(DataPlugin(), config: DataSpecTests.everyKind + "\n\n" + labels, files: files)
        #expect(problems.isEmpty, "\(problems)")
    }
}
