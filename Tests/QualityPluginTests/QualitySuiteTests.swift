import Foundation
import MLRunCore
import MLRunTestSupport
import Testing

@testable import QualityPlugin

/// Gates, segments, baselines, intervals and paired tests behave as configured.
@Suite struct QualitySuiteTests {
    /// 10 rows: accuracy 0.8 (rows 3 and 8 wrong), AUC 0.88, device a (6 rows) / b (4 rows).
    static let predictions = """
        y,p,device,group
        1,0.9,a,x
        1,0.8,a,x
        0,0.3,a,y
        0,0.6,a,y
        1,0.7,b,x
        0,0.2,b,y
        1,0.55,a,x
        1,0.4,b,y
        0,0.1,a,x
        0,0.45,b,y

        """

    static func config(_ extra: String, gates: String = "accuracy = { min = 0.75 }\nroc_auc = { min = 0.9 }") -> String {
        """
        [[quality]]
        name = "m"
        predictions = "p.csv"
        label = "y"
        score = "p"
        \(extra)
        [quality.gates]
        \(gates)

        """
    }

    static func run(_ toml: String, files: [String: String] = [:], update: Bool = false, seed: UInt64 = 7) async throws -> (SuiteHarness.Run, URL) {
        var all = ["p.csv": predictions, "runner.toml": toml]
        all.merge(files) { _, new in new }
        let folder = try SuiteHarness.folder(all)
        return (
            try await SuiteHarness.run(QualityPlugin(), folder.appendingPathComponent("runner.toml"), updateBaselines: update, seed: seed), folder
        )
    }

    @Test func gatesPassAndFailWithValueThresholdAndMargin() async throws {
        let (run, _) = try await Self.run(Self.config(""))
        let accuracy = try #require(run.tests["m::accuracy"])
        #expect(accuracy.outcome == .passed)
        #expect(accuracy.message == "accuracy = 0.8, needs ≥ 0.75 (margin +0.05)")
        #expect(accuracy.number("value") == 0.8)
        #expect(accuracy.number("threshold") == 0.75)
        #expect(accuracy.number("element_count") == 10)
        let auc = try #require(run.tests["m::roc_auc"])
        #expect(auc.outcome == .failed)
        #expect(auc.message == "roc_auc = 0.88, needs ≥ 0.9 (margin -0.02)")
        #expect(abs(try #require(auc.number("value")) - 0.88) < 1e-15)
    }

    @Test func maximumGatesFailAboveTheThreshold() async throws {
        let (run, _) = try await Self.run(Self.config("", gates: "log_loss = { max = 0.3 }\nbrier = { max = 0.5 }"))
        #expect(run.tests["m::log_loss"]?.outcome == .failed)
        #expect(run.tests["m::log_loss"]?.message.hasPrefix("log_loss = 0.4") == true)
        #expect(run.tests["m::log_loss"]?.message.contains("needs ≤ 0.3 (margin -0.1") == true)
        #expect(run.tests["m::brier"]?.outcome == .passed)
    }

    @Test func segmentsRepeatTheGatesPerValueAndSkipSmallOnes() async throws {
        let (run, _) = try await Self.run(Self.config("segments = [\"device\"]\nmin_segment_size = 5"))
        #expect(
            run.ids == [
                "m::accuracy", "m::roc_auc", "m::accuracy[device=a]", "m::roc_auc[device=a]",
                "m::accuracy[device=b]", "m::roc_auc[device=b]",
            ])
        // Device a: rows 1, 2, 3, 4, 7, 9 → predictions 1 1 0 1 1 0 vs 1 1 0 0 1 0: accuracy 5/6.
        #expect(run.tests["m::accuracy[device=a]"]?.number("value") == 5.0 / 6.0)
        #expect(run.tests["m::accuracy[device=a]"]?.number("element_count") == 6)
        let skipped = try #require(run.tests["m::accuracy[device=b]"])
        #expect(skipped.outcome == .skipped)
        #expect(skipped.message == "segment device=b has 4 rows, fewer than min_segment_size = 5")
    }

    @Test func anUndefinedMetricIsAnErrorThatSaysWhy() async throws {
        // Device b with a single label: ROC AUC is undefined there.
        let rows = "y,p,device\n1,0.9,a\n0,0.2,a\n1,0.8,b\n1,0.3,b\n"
        let (run, _) = try await Self.run(Self.config("segments = [\"device\"]"), files: ["p.csv": rows])
        let auc = try #require(run.tests["m::roc_auc[device=b]"])
        #expect(auc.outcome == .error)
        #expect(auc.message.hasPrefix("roc_auc is undefined on these 2 rows: "), "\(auc.message)")
        #expect(auc.message.contains("one class"), "\(auc.message)")
        #expect(run.tests["m::roc_auc[device=a]"]?.outcome == .passed)
    }

    @Test func aBaselineRegressionBeyondToleranceFailsAndUpdatingMakesItPass() async throws {
        let toml = Self.config("baseline = \"baselines/m.json\"\ntolerance = 0.02", gates: "accuracy = { min = 0.75 }\nlog_loss = { max = 1.0 }")
        // The baseline says 0.85 and 0.35: accuracy 0.8 is 0.05 worse (beyond 0.02); log_loss
        // 0.4399 (sklearn's) is worse (higher) by 0.0899.
        let baseline = "{\"accuracy\": 0.85, \"log_loss\": 0.35, \"f1\": 0.5}\n"
        let (run, folder) = try await Self.run(toml, files: ["baselines/m.json": baseline])
        let accuracy = try #require(run.tests["m::accuracy::vs_baseline"])
        #expect(accuracy.outcome == .failed)
        #expect(accuracy.message == "accuracy = 0.8, baseline 0.85 in baselines/m.json: worse by 0.05, tolerance 0.02 (higher is better)")
        #expect(accuracy.number("baseline") == 0.85)
        #expect(abs(try #require(accuracy.number("threshold")) - 0.83) < 1e-15)
        let loss = try #require(run.tests["m::log_loss::vs_baseline"])
        #expect(loss.outcome == .failed)
        #expect(
            loss.message == "log_loss = 0.4399, baseline 0.35 in baselines/m.json: worse by 0.08986, tolerance 0.02 (lower is better)",
            "\(loss.message)")
        // The absolute gate itself still passes: only the baseline catches the regression.
        #expect(run.tests["m::accuracy"]?.outcome == .passed)

        // --update-baselines rewrites the file from this run's values …
        let configFile = folder.appendingPathComponent("runner.toml")
        let updated = try await SuiteHarness.run(QualityPlugin(), configFile, updateBaselines: true)
        #expect(updated.tests["m::accuracy::vs_baseline"]?.outcome == .passed)
        #expect(updated.tests["m::accuracy::vs_baseline"]?.message == "baseline updated: accuracy = 0.8 written to baselines/m.json (was 0.85)")
        let written = try String(contentsOf: folder.appendingPathComponent("baselines/m.json"), encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
        #expect(json["accuracy"] as? Double == 0.8)
        #expect(json["f1"] as? Double == 0.5, "metrics the suite does not gate are kept")
        let meta = try #require(json["_meta"] as? [String: Any])
        #expect(meta["predictions"] as? String == "p.csv")
        #expect(meta["rows"] as? Int == 10)
        #expect((meta["predictions_sha256"] as? String)?.count == 64)
        #expect(meta["updated_at"] is String)
        // … and the next ordinary run passes.
        let after = try await SuiteHarness.run(QualityPlugin(), configFile)
        #expect(after.tests["m::accuracy::vs_baseline"]?.outcome == .passed)
        #expect(after.tests["m::accuracy::vs_baseline"]?.message.hasSuffix("unchanged, tolerance 0.02 (higher is better)") == true)
        #expect(after.tests["m::log_loss::vs_baseline"]?.outcome == .passed)
    }

    @Test func anOrdinaryRunNeverWritesTheBaseline() async throws {
        let toml = Self.config("baseline = \"b.json\"")
        let baseline = "{\"accuracy\": 0.9}"
        let (run, folder) = try await Self.run(toml, files: ["b.json": baseline])
        #expect(run.tests["m::accuracy::vs_baseline"]?.outcome == .failed)
        #expect(run.tests["m::roc_auc::vs_baseline"] == nil, "roc_auc has no baseline value, so no comparison")
        #expect(try String(contentsOf: folder.appendingPathComponent("b.json"), encoding: .utf8) == baseline)
    }

    @Test func updatingReplacesAnUnreadableBaselineAndSaysSo() async throws {
        let toml = Self.config("baseline = \"b.json\"", gates: "accuracy = { min = 0.5 }")
        let (broken, folder) = try await Self.run(toml, files: ["b.json": "{\"accuracy\": "])
        #expect(broken.collectErrors["m"]?.hasPrefix("baseline b.json: line 1, column 14: ") == true, "\(broken.collectErrors)")
        let updated = try await SuiteHarness.run(QualityPlugin(), folder.appendingPathComponent("runner.toml"), updateBaselines: true)
        let test = try #require(updated.tests["m::accuracy::vs_baseline"])
        #expect(test.outcome == .passed)
        #expect(
            test.message.hasPrefix(
                "baseline updated: accuracy = 0.8 written to b.json (replaced a file that could not be read: baseline b.json: line 1, column 14: "),
            "\(test.message)")
        let after = try await SuiteHarness.run(QualityPlugin(), folder.appendingPathComponent("runner.toml"))
        #expect(after.tests["m::accuracy::vs_baseline"]?.outcome == .passed)
    }

    @Test func relativeToleranceScalesWithTheBaseline() async throws {
        let toml = Self.config("baseline = \"b.json\"\nrelative_tolerance = 0.1")
        let (run, _) = try await Self.run(toml, files: ["b.json": "{\"accuracy\": 0.85, \"roc_auc\": 1.0}"])
        // 0.8 ≥ 0.85 − 0.085; 0.88 < 1.0 − 0.1.
        #expect(run.tests["m::accuracy::vs_baseline"]?.outcome == .passed)
        #expect(run.tests["m::roc_auc::vs_baseline"]?.outcome == .failed)
    }

    @Test func aMissingOrBrokenBaselineIsACollectionErrorThatSaysWhatToDo() async throws {
        let (missing, _) = try await Self.run(Self.config("baseline = \"none.json\""))
        #expect(missing.collectErrors["m"] == "baseline none.json does not exist; write it from this run's values with: mlrun --update-baselines m::")
        let (broken, _) = try await Self.run(Self.config("baseline = \"b.json\""), files: ["b.json": "{\n  \"accuracy\": 0.8,\n  \"f1\" 0.7\n}"])
        #expect(broken.collectErrors["m"] == "baseline b.json: line 3, column 8: expected ':'", "\(broken.collectErrors)")
        let (text, _) = try await Self.run(Self.config("baseline = \"b.json\""), files: ["b.json": "{\"accuracy\": \"high\"}"])
        #expect(text.collectErrors["m"] == "baseline b.json: 'accuracy' must be a number (a metric's reference value), not a string")
    }

    @Test func bootstrapIntervalsAreSeededAndGateOnCiLowUsesTheBound() async throws {
        let toml = Self.config("ci = 0.9\nresamples = 200", gates: "accuracy = { min = 0.7 }")
        let (first, _) = try await Self.run(toml, seed: 11)
        let (second, _) = try await Self.run(toml, seed: 11)
        let low = try #require(first.tests["m::accuracy"]?.number("ci_low"))
        let high = try #require(first.tests["m::accuracy"]?.number("ci_high"))
        #expect(low < 0.8 && 0.8 < high)
        #expect(second.tests["m::accuracy"]?.number("ci_low") == low)
        #expect(second.tests["m::accuracy"]?.number("ci_high") == high)
        #expect(first.tests["m::accuracy"]?.outcome == .passed)
        // The same gate on the interval's low end fails: 10 rows cannot show accuracy ≥ 0.7.
        let (gated, _) = try await Self.run(
            Self.config("ci = 0.9\nresamples = 200\ngate_on = \"ci_low\"", gates: "accuracy = { min = 0.7 }"), seed: 11)
        let test = try #require(gated.tests["m::accuracy"])
        #expect(test.outcome == .failed)
        #expect(test.message.hasPrefix("accuracy = \(GateEvaluator.format(low)) (ci_low of 0.8), needs ≥ 0.7"), "\(test.message)")
    }

    @Test func pairedTestsFailOnlyWhenTheNewModelIsSignificantlyWorse() async throws {
        // 200 rows: the old model is right on all, the new one wrong on 30 → McNemar b = 30, c = 0.
        var new = "y,p\n", old = "y,p\n"
        for i in 0..<200 {
            let y = i % 2
            old += "\(y),\(y == 1 ? 0.9 : 0.1)\n"
            new += "\(y),\(i < 30 ? (y == 1 ? 0.2 : 0.7) : (y == 1 ? 0.8 : 0.3))\n"
        }
        let toml = Self.config("baseline_predictions = \"old.csv\"\nalpha = 0.05", gates: "accuracy = { min = 0.5 }")
        let (run, _) = try await Self.run(toml, files: ["p.csv": new, "old.csv": old])
        let mcnemar = try #require(run.tests["m::accuracy::mcnemar"])
        #expect(mcnemar.outcome == .failed)
        #expect(mcnemar.number("only_baseline_correct") == 30)
        #expect(mcnemar.number("p_value") == pow(0.5, 30))
        #expect(run.tests["m::roc_auc::delong"]?.outcome == .failed)
        // Against itself: no evidence either way.
        let (same, _) = try await Self.run(toml, files: ["p.csv": new, "old.csv": new])
        #expect(same.tests["m::accuracy::mcnemar"]?.outcome == .passed)
        #expect(same.tests["m::roc_auc::delong"]?.outcome == .error, "identical scores: DeLong's variance is 0")
        // Different rows: an error naming the line.
        let shuffled = "y,p\n" + new.split(separator: "\n").dropFirst().reversed().joined(separator: "\n") + "\n"
        let (mismatch, _) = try await Self.run(toml, files: ["p.csv": new, "old.csv": shuffled])
        #expect(mismatch.tests["m::accuracy::mcnemar"]?.outcome == .error)
        #expect(
            mismatch.tests["m::accuracy::mcnemar"]?.message
                == "old.csv: line 2: the label differs from p.csv line 2; paired tests need the same rows in the same order")
    }

    @Test func badPredictionFilesAreErrorsNamingTheLine() async throws {
        let (bad, _) = try await Self.run(Self.config(""), files: ["p.csv": "y,p\n1,0.9\n0,high\n"])
        #expect(bad.tests["m::accuracy"]?.outcome == .error)
        #expect(bad.tests["m::accuracy"]?.message == "p.csv: line 3: 'p' is not a finite number: 'high'")
        let (missing, _) = try await Self.run(Self.config(""), files: ["p.csv": "y,score\n1,0.9\n"])
        #expect(missing.tests["m::accuracy"]?.message == "p.csv: no column 'p' (its columns: y, score)")
        let (labels, _) = try await Self.run(Self.config(""), files: ["p.csv": "y,p\n1,0.9\n0,0.1\n2,0.5\n"])
        #expect(
            labels.tests["m::accuracy"]?.message
                == "p.csv: 'y' has 3 distinct values ('1', '0', '2'); a binary suite needs two — for a multiclass model give 'scores' or 'classes'")
        let (empty, _) = try await Self.run(Self.config(""), files: ["p.csv": "y,p\n"])
        #expect(empty.tests["m::accuracy"]?.message == "p.csv: no rows")
        let (ragged, _) = try await Self.run(Self.config(""), files: ["p.csv": "y,p\n1,0.9\n0\n"])
        #expect(ragged.tests["m::accuracy"]?.outcome == .error)
        #expect(ragged.tests["m::accuracy"]?.message.contains("line 3") == true, "\(ragged.tests["m::accuracy"]?.message ?? "")")
    }

    @Test func jsonLinesPredictionsWork() async throws {
        var lines = ""
        for row in Self.predictions.split(separator: "\n").dropFirst() {
            let f = row.split(separator: ",")
            lines += "{\"y\": \(f[0]), \"p\": \(f[1]), \"device\": \"\(f[2])\"}\n"
        }
        let toml = Self.config("").replacingOccurrences(of: "p.csv", with: "p.jsonl")
        let (run, _) = try await Self.run(toml, files: ["p.jsonl": lines])
        #expect(run.tests["m::accuracy"]?.number("value") == 0.8)
    }
}
