import Foundation
import MLRunCore
import MLRunTestSupport
import Testing

@testable import QualityPlugin

/// Config errors of `[[quality]]` tables name the line and column of the culprit.
@Suite struct QualitySpecTests {
    static func error(_ body: String) throws -> String? {
        let folder = try SuiteHarness.folder([
            "p.csv": "y,p\n1,0.9\n", "old.csv": "y,p\n1,0.9\n",
            "runner.toml": "[[quality]]\nname = \"m\"\npredictions = \"p.csv\"\nlabel = \"y\"\n" + body,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try SuiteHarness.suites(QualityPlugin(), folder.appendingPathComponent("runner.toml"))
            return nil
        } catch let error as ConfigError {
            return error.description.replacingOccurrences(of: folder.path + "/", with: "")
        }
    }

    static let cases: [(String, String)] = [
        (
            "score = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }\nroc_auk = { min = 0.8 }",
            "runner.toml:8:1: error: unknown metric 'roc_auk' in [quality.gates]"
        ),
        (
            "score = \"p\"\n[quality.gates]\naccuracy = 0.8",
            "runner.toml:7:1: error: gate 'accuracy' must be { min = … } or { max = … }, not a float"
        ),
        (
            "score = \"p\"\n[quality.gates]\naccuracy = { min = 0.8, max = 0.9 }",
            "runner.toml:7:1: error: gate 'accuracy' needs exactly one of 'min' or 'max'"
        ),
        (
            "score = \"p\"\n[quality.gates]\naccuracy = { minimum = 0.8 }",
            "runner.toml:7:14: error: unknown key 'minimum'"
        ),
        (
            "score = \"p\"\n",
            "runner.toml:1:1: error: [[quality]] #1 needs at least one gate in [quality.gates], e.g. accuracy = { min = 0.85 }"
        ),
        (
            "prediction = \"yhat\"\n[quality.gates]\nroc_auc = { min = 0.8 }",
            "runner.toml:7:1: error: gate 'roc_auc' needs probabilities: give 'score' (binary) or 'scores' (one column per class)"
        ),
        (
            "score = \"p\"\n[quality.gates]\ndemographic_parity_difference = { max = 0.1 }",
            "runner.toml:7:1: error: gate 'demographic_parity_difference' is a fairness metric: give 'sensitive', the column of the group each row belongs to"
        ),
        (
            "scores = [\"a\", \"b\", \"c\"]\n[quality.gates]\nf1 = { min = 0.8 }",
            "runner.toml:7:1: error: gate 'f1' is defined for binary models; for 3 classes use f1_macro, f1_micro or f1_weighted"
        ),
        (
            "score = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }\nmae = { max = 1 }",
            "runner.toml:7:1: error: gate 'accuracy' is a classification metric but 'mae' is a regression one; one suite evaluates one kind of model"
        ),
        (
            "score = \"p\"\ntolerance = 0.1\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: a tolerance needs 'baseline', the file of reference values"
        ),
        (
            "score = \"p\"\ngate_on = \"ci_low\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: gate_on = \"ci_low\" needs 'ci' (e.g. ci = 0.95)"
        ),
        (
            "score = \"p\"\nthreshold = 1.5\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: 'threshold' in [[quality]] #1 must be between 0.0 and 1.0, not 1.5"
        ),
        (
            "score = \"p\"\nscores = [\"a\", \"b\"]\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: [[quality]] #1 has both 'score' (binary) and 'scores' (one column per class); keep one"
        ),
        (
            "prediction = \"p\"\nbaseline_predictions = \"old.csv\"\n[quality.gates]\nmae = { max = 1 }",
            "runner.toml:6:1: error: 'baseline_predictions' adds McNemar's and DeLong's tests of a classifier; this suite's gates are regression metrics"
        ),
        (
            "score = \"p\"\nbaseline_predictions = \"nope.csv\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: 'baseline_predictions' in [[quality]] #1: no readable file nope.csv"
        ),
        (
            "score = \"p\"\nprediction = \"yhat\"\nsegment = [\"device\"]\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:7:1: error: unknown key 'segment'"
        ),
        (
            "label2 = \"x\"\nscore = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:5:1: error: unknown key 'label2'"
        ),
    ]

    /// What changed when the accessors replaced each plugin's own checks.
    static let unifiedCases: [(String, String)] = [
        // A line break cannot separate fields; [[data]] always refused it, now [[quality]] does too.
        (
            "delimiter = \"\\n\"\nscore = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:5:1: error: 'delimiter' in [[quality]] #1 must be one ASCII character other than a quote or a line break"
        ),
        (
            "delimiter = \"\\r\"\nscore = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:5:1: error: 'delimiter' in [[quality]] #1 must be one ASCII character other than a quote or a line break"
        ),
        (
            "delimiter = \"ab\"\nscore = \"p\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:5:1: error: 'delimiter' in [[quality]] #1 must be one ASCII character other than a quote or a line break"
        ),
        (
            "score = \"p\"\nresamples = 50\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: 'resamples' in [[quality]] #1 must be an integer from 100 to 100000, not 50"
        ),
        (
            "score = \"p\"\nresamples = 1000.0\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: 'resamples' in [[quality]] #1 must be an integer from 100 to 100000, not a float"
        ),
        (
            "prediction = \"p\"\nsegments = [\"g\"]\nmin_segment_size = 0\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:7:1: error: 'min_segment_size' in [[quality]] #1 must be a positive integer, not 0"
        ),
        (
            "score = \"p\"\ngate_on = \"low\"\n[quality.gates]\naccuracy = { min = 0.8 }",
            "runner.toml:6:1: error: 'gate_on' in [[quality]] #1 must be \"value\" or \"ci_low\", not \"low\""
        ),
        (
            "label2 = \"x\"\nscore = \"p\"\nsegment = [\"g\"]\n[quality.gates]\naccuracy = { min = 0.8 }",
            """
            runner.toml:5:1: error: unknown key 'label2' in [[quality]] #1 (allowed: \(QualitySpec.keys.joined(separator: ", ")))
            runner.toml:7:1: error: unknown key 'segment' in [[quality]] #1
            """
        ),
        (
            "score = \"p\"\n[quality.gates]\naccuracy = { min = 0.8, minimum = 1, maximum = 2 }",
            """
            runner.toml:7:25: error: unknown key 'minimum' in [[quality]] #1.gates.accuracy (allowed: min, max)
            runner.toml:7:38: error: unknown key 'maximum' in [[quality]] #1.gates.accuracy
            """
        ),
    ]

    @Test(arguments: unifiedCases) func unifiedChecks(_ body: String, _ expected: String) throws {
        #expect(try Self.error(body) == expected)
    }

    @Test(arguments: cases) func errorsNameTheLine(_ body: String, _ expected: String) throws {
        let message = try #require(try Self.error(body), "no error for:\n\(body)")
        #expect(message.hasPrefix(expected), "\(message)")
    }

    @Test func everyFileTheSuiteReadsIsAPathForChanged() throws {
        let folder = try SuiteHarness.folder([
            "p.csv": "y,p\n1,0.9\n", "old.csv": "y,p\n1,0.9\n",
            "runner.toml": """
            [[quality]]
            name = "m"
            predictions = "p.csv"
            label = "y"
            score = "p"
            baseline = "base[1].json"
            baseline_predictions = "old.csv"
            paths = ["model/**"]
            [quality.gates]
            accuracy = { min = 0.8 }
            """,
        ])
        let suite = try #require(try SuiteHarness.suites(QualityPlugin(), folder.appendingPathComponent("runner.toml")).first)
        #expect(suite.paths == ["model/**", "p.csv", "base[[]1[]].json", "old.csv"])
    }
}
