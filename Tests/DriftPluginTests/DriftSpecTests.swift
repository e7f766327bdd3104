import Foundation
import MLRunCore
import MLRunTestSupport
import Testing

@testable import DriftPlugin

/// Config errors of `[[drift]]` tables name the line and column of the culprit.
@Suite struct DriftSpecTests {
    static func error(_ body: String) throws -> String? {
        let folder = try SuiteHarness.folder([
            "r.csv": "a,b\n1,x\n", "c.csv": "a,b\n2,y\n", "ref.json": "{}",
            "runner.toml": "[[drift]]\nname = \"d\"\nreference = \"r.csv\"\ncurrent = \"c.csv\"\n" + body,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try SuiteHarness.suites(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
            return nil
        } catch let error as ConfigError {
            return error.description.replacingOccurrences(of: folder.path + "/", with: "")
        }
    }

    static let cases: [(String, String)] = [
        ("method = \"kss\"", "runner.toml:5:1: error: unknown drift method 'kss' (known: ks, chi2, psi, jensen_shannon, wasserstein, zscore)"),
        ("method = [\"ks\", 3]", "runner.toml:5:17: error: 'method' must hold method names"),
        (
            "correction = \"fdr\"",
            "runner.toml:5:1: error: 'correction' in [[drift]] #1 must be \"none\", \"bonferroni\", \"holm\" or \"bh\", not \"fdr\""
        ),
        ("alpha = 0.9", "runner.toml:5:1: error: 'alpha' in [[drift]] #1 must be between"),
        ("min_effect = 2.0", "runner.toml:5:1: error: 'min_effect' in [[drift]] #1 must be between 0.0 and 1.0, not 2.0"),
        (
            "method = \"ks\"\nthreshold = 0.2",
            "runner.toml:6:1: error: 'threshold' applies to distances (psi, jensen_shannon, wasserstein, zscore); ks and chi2 are decided by 'alpha'"
        ),
        ("columns = [\"a\", \"a\"]", "runner.toml:5:1: error: 'columns' lists a column twice"),
        ("columns = 3", "runner.toml:5:1: error: 'columns' must be an array of column names or a table of [drift.columns.NAME] settings"),
        (
            "[drift.columns.a]\ntype = \"float\"",
            "runner.toml:6:1: error: 'type' in [[drift]] #1.columns.a must be \"numeric\" or \"categorical\", not \"float\""
        ),
        ("[drift.columns.a]\ntype = \"categorical\"\nmethod = \"ks\"", "runner.toml:7:1: error: 'ks' does not apply to a categorical column"),
        ("[drift.columns.a]\nbins = 10", "runner.toml:6:1: error: unknown key 'bins'"),
        ("windows = 3", "runner.toml:5:1: error: unknown key 'windows'"),
        ("delimiter = \";;\"", "runner.toml:5:1: error: 'delimiter' in [[drift]] #1 must be one ASCII character other than a quote"),
    ]

    /// What changed when the accessors replaced each plugin's own checks.
    static let unifiedCases: [(String, String)] = [
        // A line break cannot separate fields; [[data]] always refused it, now [[drift]] does too.
        ("delimiter = \"\\n\"", "runner.toml:5:1: error: 'delimiter' in [[drift]] #1 must be one ASCII character other than a quote or a line break"),
        ("delimiter = \"\\r\"", "runner.toml:5:1: error: 'delimiter' in [[drift]] #1 must be one ASCII character other than a quote or a line break"),
        (
            "delimiter = \"\\\"\"",
            "runner.toml:5:1: error: 'delimiter' in [[drift]] #1 must be one ASCII character other than a quote or a line break"
        ),
        // Every unknown key, each at its line.
        (
            "windows = 3\nalpha = 0.01\n  bins = 10",
            """
            runner.toml:5:1: error: unknown key 'windows' in [[drift]] #1 (allowed: \(DriftSpec.keys.joined(separator: ", ")))
            runner.toml:7:3: error: unknown key 'bins' in [[drift]] #1
            """
        ),
        (
            "correction = 2",
            "runner.toml:5:1: error: 'correction' in [[drift]] #1 must be \"none\", \"bonferroni\", \"holm\" or \"bh\", not an integer"
        ),
    ]

    @Test(arguments: unifiedCases) func unifiedChecks(_ body: String, _ expected: String) throws {
        #expect(try Self.error(body) == expected)
    }

    @Test func aTabOrSemicolonDelimiterIsFine() throws {
        #expect(try Self.error("delimiter = \"\\t\"") == nil)
        #expect(try Self.error("delimiter = \";\"") == nil)
    }

    @Test(arguments: cases) func errorsNameTheLine(_ body: String, _ expected: String) throws {
        let message = try #require(try Self.error(body), "no error for:\n\(body)")
        #expect(message.hasPrefix(expected), "\(message)")
    }

    @Test func missingFilesAndASnapshotAsCurrentAreErrors() throws {
        let folder = try SuiteHarness.folder([
            "r.csv": "a\n1\n", "ref.json": "{}",
            "runner.toml": """
            [[drift]]
            name = "d"
            reference = "r.csv"
            current = "nope.csv"
            """,
        ])
        do {
            _ = try SuiteHarness.suites(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
            Issue.record("no error")
        } catch let error as ConfigError {
            #expect(
                error.description.hasPrefix(
                    folder.path + "/runner.toml:4:1: error: 'current' in [[drift]] #1: no readable file \(folder.path)/nope.csv"), "\(error)")
        }
        try Data("[[drift]]\nname = \"d\"\nreference = \"r.csv\"\ncurrent = \"ref.json\"\n".utf8).write(
            to: folder.appendingPathComponent("runner.toml"))
        do {
            _ = try SuiteHarness.suites(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
            Issue.record("no error")
        } catch let error as ConfigError {
            #expect(
                error.description.contains(
                    "4:1: error: 'current' must be a data file (CSV, TSV or JSON Lines); a .json snapshot can only be the reference"), "\(error)")
        }
    }

    @Test func bothFilesArePathsForChanged() throws {
        let folder = try SuiteHarness.folder([
            "r.csv": "a\n1\n", "c.csv": "a\n2\n",
            "runner.toml": """
            [[drift]]
            name = "d"
            reference = "r.csv"
            current = "c.csv"
            paths = ["features/**"]
            """,
        ])
        let suite = try #require(try SuiteHarness.suites(DriftPlugin(), folder.appendingPathComponent("runner.toml")).first)
        #expect(suite.paths == ["features/**", "r.csv", "c.csv"])
    }
}

/// `[drift.columns.X]` tables declare the compared columns, as `[data.columns.X]` does.
@Suite struct DriftColumnTablesTests {
    @Test func onlyTheDeclaredColumnsAreCompared() async throws {
        let folder = try SuiteHarness.folder([
            "r.csv": "a,b,c\n1,x,5\n2,y,6\n3,x,7\n",
            "c.csv": "a,b,c\n1,x,5\n2,y,6\n4,y,8\n",
            "runner.toml": """
            [[drift]]
            name = "d"
            reference = "r.csv"
            current = "c.csv"
            [drift.columns.c]
            method = "psi"
            [drift.columns.b]
            """,
        ])
        let run = try await SuiteHarness.run(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
        #expect(run.collectErrors.isEmpty, "\(run.collectErrors)")
        #expect(Set(run.tests.keys) == ["d::b::chi2", "d::c::psi"])
    }
}
