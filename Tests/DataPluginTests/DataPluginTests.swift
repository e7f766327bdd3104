import DataPlugin
import Foundation
import MLRunTestSupport
import Testing

/// `[[data]]` keeps the suite contract, checked by the verifier plugin authors use.
@Suite struct DataPluginTests {
    @Test func conformsToThePluginContract() async throws {
        let folder = try SuiteHarness.folder([
            "train.csv": "id,age,split\n1,34,train\n2,51,train\n3,29,test\n",
            "labels.jsonl": "{\"id\": 1, \"label\": \"yes\"}\n{\"id\": 2, \"label\": \"no\"}\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let problems = await PluginVerifier.verify(
            DataPlugin(),
            config: """
                [[data]]
                name = "train"
                file = "train.csv"
                [data.columns.age]
                type = "int"
                min = 0
                max = 120
                [data.columns.id]
                unique = true
                [data.table]
                min_rows = 2
                leakage = { key = "id", split = "split" }

                [[data]]
                name = "labels"
                file = "labels.jsonl"
                [data.columns.label]
                in = ["yes", "no"]
                """, in: folder)
        #expect(problems.isEmpty, "\(problems)")
    }
}
