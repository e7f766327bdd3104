import Foundation
import MLRunCore
import MLRunTestSupport
import Testing

@testable import DriftPlugin

/// How `[[drift]]` suites decide and fail: `min_effect` floors, broken files, missing
/// columns, bad snapshots and declared kinds the data contradict — with their exact messages.
@Suite struct DriftBehaviourTests {
    /// Runs `config` (the `[[drift]]` tables) over `files` in a fresh folder.
    static func run(_ config: String, files: [String: String]) async throws -> SuiteHarness.Run {
        let folder = try SuiteHarness.folder(files.merging(["runner.toml": config]) { _, new in new })
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await SuiteHarness.run(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
    }

    static func csv(_ header: String, _ values: some Sequence<String>) -> String {
        ([header] + values).joined(separator: "\n") + "\n"
    }

    /// 20,000 integers against the same shifted by 400: D = 0.02 exactly, and on the asymptotic
    /// path p = 0.0006617 (`scipy.stats.ks_2samp(np.arange(20000), np.arange(20000) + 400)`).
    @Test func minEffectTurnsASignificantTrivialShiftIntoAPass() async throws {
        let config = """
            [[drift]]
            name = "strict"
            reference = "ref.csv"
            current = "cur.csv"

            [[drift]]
            name = "floored"
            reference = "ref.csv"
            current = "cur.csv"
            min_effect = 0.05
            """
        let run = try await Self.run(
            config,
            files: [
                "ref.csv": Self.csv("x", (0..<20_000).map { "\($0)" }),
                "cur.csv": Self.csv("x", (0..<20_000).map { "\($0 + 400)" }),
            ])
        #expect(run.collectErrors.isEmpty, "\(run.collectErrors)")
        let strict = try #require(run.tests["strict::x::ks"])
        #expect(strict.outcome == .failed)
        #expect(strict.message == "drift in x: KS D = 0.02, p = 0.0006617 ≤ alpha 0.05")
        let floored = try #require(run.tests["floored::x::ks"])
        #expect(floored.outcome == .passed)
        #expect(
            floored.message
                == "x: KS D = 0.02, p = 0.0006617 ≤ alpha 0.05, but the effect size 0.02 ≤ min_effect 0.05: a significant but negligible shift")
        #expect(floored.values["ks_method"] == .string("asymptotic"))
        #expect(floored.values["min_effect"] == .double(0.05))
        #expect(abs((floored.number("p_value") ?? 0) - 0.0006616848639386923) <= 1e-12)
    }

    @Test func aRaggedRowInTheCurrentFileNamesTheFileAndLine() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.csv"
            current = "cur.csv"
            """
        let run = try await Self.run(
            config,
            files: [
                "ref.csv": "x,y\n1,a\n2,b\n3,a\n",
                "cur.csv": "x,y\n1,a\n2\n3,b\n",
            ])
        #expect(run.tests.isEmpty)
        #expect(run.collectErrors["s"] == "cur.csv: line 3, column 1: expected 2 fields (as in the header), found 1", "\(run.collectErrors)")
    }

    @Test func columnsNamingAMissingColumnIsACollectionError() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.csv"
            current = "cur.csv"
            columns = ["x", "z"]
            """
        let run = try await Self.run(config, files: ["ref.csv": "x,y\n1,2\n", "cur.csv": "x,y,z\n1,2,3\n"])
        #expect(run.tests.isEmpty)
        #expect(run.collectErrors["s"] == "'columns' names 'z', which the reference ref.csv does not have (its columns: x, y)")
    }

    @Test func aSnapshotWhoseBinsDoNotAddUpIsACollectionError() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.json"
            current = "cur.csv"
            """
        func snapshot(_ binCounts: String) -> String {
            #"{"schema": "mlrun-snapshot/1", "columns": [{"name": "x", "type": "numeric", "count": 3, "missing": 0, "mean": 2, "std": 0.8, "edges": [1.5, 2.5], "bin_counts": "#
                + binCounts + #", "sample": [1, 2, 3]}]}"#
        }
        let fractional = try await Self.run(config, files: ["ref.json": snapshot("[1, 1.5, 0.5]"), "cur.csv": "x\n1\n"])
        #expect(fractional.collectErrors["s"] == "snapshot ref.json: column 'x': 'bin_counts' holds a value that is not a non-negative integer")
        let short = try await Self.run(config, files: ["ref.json": snapshot("[1, 1, 0]"), "cur.csv": "x\n1\n"])
        #expect(short.collectErrors["s"] == "snapshot ref.json: column 'x': 3 bin counts for 2 edges, summing to 2 of 3 values")
    }

    @Test func aSnapshotWithAnotherSchemaIsACollectionError() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.json"
            current = "cur.csv"
            """
        let run = try await Self.run(
            config,
            files: [
                "ref.json": #"{"schema": "mlrun-snapshot/0", "columns": []}"#,
                "cur.csv": "x\n1\n",
            ])
        #expect(run.tests.isEmpty)
        #expect(
            run.collectErrors["s"]
                == #"snapshot ref.json: not an mlrun snapshot (expected "schema": "mlrun-snapshot/1"; write one with: mlrun snapshot DATA -o ref.json)"#
        )
    }

    @Test func aNumericColumnHoldingTextIsAnError() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.csv"
            current = "cur.csv"
            method = ["ks", "zscore"]
            [drift.columns.x]
            [drift.columns.y]
            type = "numeric"
            """
        let run = try await Self.run(
            config,
            files: [
                "ref.csv": "x,y\n1,2.5\n2,3.5\n3,1.0\n",
                "cur.csv": "x,y\n1,2.5\n2,abc\n3,1.0\n",
            ])
        #expect(run.collectErrors.isEmpty, "\(run.collectErrors)")
        for method in ["ks", "zscore"] {
            let test = try #require(run.tests["s::y::\(method)"])
            #expect(test.outcome == .error)
            #expect(test.message == "'y' is declared numeric but cur.csv holds values in it that are not numbers")
        }
        // The other column is unaffected.
        #expect(run.tests["s::x::ks"]?.outcome == .passed)
    }
    /// A numeric column with a stray text value past its 1,000th distinct number once read as
    /// "more than 100000 distinct text values"; the message now says what is wrong.
    @Test func textAmongManyDistinctNumbersIsNamedForWhatItIs() async throws {
        let config = """
            [[drift]]
            name = "s"
            reference = "ref.csv"
            current = "cur.csv"
            """
        let values = (0..<3_000).map { "\(Double($0) / 2)" }
        let run = try await Self.run(
            config,
            files: [
                "ref.csv": Self.csv("x", values),
                "cur.csv": Self.csv("x", values + ["oops"]),
            ])
        #expect(run.tests.isEmpty)
        #expect(
            run.collectErrors["s"]
                == "cur.csv: column 'x' holds text among more than 1000 distinct numbers: it is neither numeric (only numbers and null_values) nor categorical; fix the text values or list them in null_values",
            "\(run.collectErrors)")
    }
}
