import Foundation
import MLRunCore
import MLRunOracles
import MLRunTestSupport
import Testing

@testable import DriftPlugin

/// Every value the `[[drift]]` suites report equals SciPy's, NumPy's and statsmodels' on the
/// same files, and a snapshot reference gives the same results as the file it was taken of.
///
/// The files, the config and the reference values are written by
/// scripts/fixtures/make_drift_fixtures.py: a small pair (800 and 600 rows: KS's exact path,
/// ties everywhere, empty fields, a two-category column for Yates' correction, an integer
/// column one suite declares categorical), an equal-size pair (700 and 700: the exact path's
/// n = m form) and a large pair (12,000 and 15,000 rows: the asymptotic path); suites cover
/// every method, every correction (none, bonferroni, holm, bh), per-column settings and
/// `min_effect`. The committed set always runs; when Python can import SciPy and statsmodels,
/// a fresh set with a new seed is generated and checked too (required under
/// MLRUN_REQUIRE_SCIPY, as CI sets it).
///
/// Tolerances:
/// - every reported number (statistic, p_value, effect sizes, means, standard deviations,
///   distances): |mlrun − reference| ≤ 1e-9 absolute **and** ≤ 1e-6 · |reference| relative.
///   The absolute bound catches errors in values near 1; the relative one catches them in tiny
///   p-values (1e-17 here), where 1e-9 absolute would accept anything. Both sides compute in
///   doubles, with different summation orders and special-function implementations.
/// - `p_value_adjusted`: within 1e-12 absolute (a product or running extreme of p-values that
///   already agree to about 1e-15).
/// - counts (n_reference, n_current, missing_*, dof, bins), strings and outcomes: equal.
@Suite struct AgreementTests {
    static let absoluteTolerance = 1e-9
    static let relativeTolerance = 1e-6
    static let adjustedTolerance = 1e-12
    /// Values compared as exact integers.
    static let counts: Set<String> = ["n_reference", "n_current", "missing_reference", "missing_current", "dof", "bins"]

    static func fixtureFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "agreement", withExtension: nil, subdirectory: "Fixtures"))
    }

    /// The largest differences seen, printed at the end of a check.
    struct Worst {
        var absolute = 0.0
        var relative = 0.0
        var adjusted = 0.0
    }

    /// Compares a run of the config in `folder` with its expected.json.
    static func check(_ folder: URL) async throws {
        let expectedData = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let expected = try #require(root["tests"] as? [String: [String: Any]])
        let run = try await SuiteHarness.run(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
        #expect(run.collectErrors.isEmpty, "\(run.collectErrors)")
        #expect(
            Set(run.tests.keys) == Set(expected.keys),
            "only mlrun: \(Set(run.tests.keys).subtracting(expected.keys).sorted()); only expected: \(Set(expected.keys).subtracting(run.tests.keys).sorted())"
        )
        var compared = 0
        var worst = Worst()
        for (id, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let got = run.tests[id] else { continue }
            #expect(got.outcome.rawValue == want["outcome"] as? String, "\(id): \(got.outcome), expected \(want["outcome"] ?? "?"): \(got.message)")
            // Every value mlrun reports has a reference, and every reference was reported.
            let reportedKeys = Set(got.values.keys)
            let expectedKeys = Set(want.keys).subtracting(["outcome"])
            #expect(
                reportedKeys == expectedKeys,
                "\(id): only mlrun: \(reportedKeys.subtracting(expectedKeys).sorted()); only expected: \(expectedKeys.subtracting(reportedKeys).sorted())"
            )
            for (key, value) in want where key != "outcome" {
                if let text = value as? String {
                    #expect(got.values[key]?.stringValue == text, "\(id) \(key): mlrun \(String(describing: got.values[key])), reference \(text)")
                    continue
                }
                guard let reference = (value as? NSNumber)?.doubleValue else { continue }
                let mine = try #require(got.number(key), "\(id): no '\(key)' in \(got.values)")
                let difference = abs(mine - reference)
                if counts.contains(key) {
                    #expect(mine == reference, "\(id) \(key): mlrun \(mine), reference \(reference)")
                } else if key == "p_value_adjusted" {
                    worst.adjusted = max(worst.adjusted, difference)
                    #expect(difference <= adjustedTolerance, "\(id) \(key): mlrun \(mine), reference \(reference), difference \(mine - reference)")
                } else {
                    worst.absolute = max(worst.absolute, difference)
                    if reference != 0 { worst.relative = max(worst.relative, difference / abs(reference)) }
                    #expect(
                        difference <= absoluteTolerance && difference <= relativeTolerance * abs(reference),
                        "\(id) \(key): mlrun \(mine), reference \(reference), difference \(mine - reference)")
                }
                compared += 1
            }
        }
        #expect(compared >= 500, "compared only \(compared) values")
        print(
            "DriftPluginTests.AgreementTests: \(compared) values of \(expected.count) tests; largest differences: \(worst.absolute) absolute, \(worst.relative) relative, \(worst.adjusted) adjusted p"
        )
    }

    @Test func committedFixturesAgreeWithTheLibraries() async throws {
        try await Self.check(try Self.fixtureFolder())
    }

    /// A snapshot of each reference file (which fits in the sample) gives every test the same
    /// outcome, message and values as the file itself.
    @Test func snapshotReferencesEqualTheirFiles() async throws {
        let source = try Self.fixtureFolder()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-drift-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source, to: folder)
        var config = try String(contentsOf: folder.appendingPathComponent("runner.toml"), encoding: .utf8)
        for pair in ["small", "paired", "large"] {
            let data = folder.appendingPathComponent("\(pair)_ref.csv")
            _ = try ReferenceSnapshot.write(
                data: data, displayPath: data.lastPathComponent, to: folder.appendingPathComponent("\(pair)_ref.json"),
                columns: nil, sampleSize: ReferenceSnapshot.defaultSampleSize, seed: 3,
                delimiter: nil, nullValues: [""])
            config = config.replacingOccurrences(of: "reference = \"\(pair)_ref.csv\"", with: "reference = \"\(pair)_ref.json\"")
        }
        #expect(!config.contains("_ref.csv"))
        let snapshotConfig = folder.appendingPathComponent("snapshot.toml")
        try config.write(to: snapshotConfig, atomically: true, encoding: .utf8)

        let fromFiles = try await SuiteHarness.run(DriftPlugin(), folder.appendingPathComponent("runner.toml"))
        let fromSnapshots = try await SuiteHarness.run(DriftPlugin(), snapshotConfig)
        #expect(fromSnapshots.collectErrors.isEmpty, "\(fromSnapshots.collectErrors)")
        #expect(fromSnapshots.ids == fromFiles.ids)
        #expect(fromFiles.ids.count >= 80)
        for id in fromFiles.ids {
            let file = try #require(fromFiles.tests[id]), snapshot = try #require(fromSnapshots.tests[id], "\(id) missing with snapshots")
            #expect(snapshot.outcome == file.outcome, "\(id): \(snapshot.outcome) with the snapshot, \(file.outcome) with the file")
            #expect(snapshot.message == file.message, "\(id): \(snapshot.message) | \(file.message)")
            #expect(snapshot.values == file.values, "\(id): values differ: \(Self.differences(snapshot.values, file.values))")
        }
    }

    static func differences(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> String {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
            .map { "\($0): \(String(describing: a[$0])) vs \(String(describing: b[$0]))" }.joined(separator: "; ")
    }

    @Test func freshDataAgreeWhenTheLibrariesAreInstalled() async throws {
        guard
            let python = try await PythonOracle.interpreter(
                importing: ["numpy", "scipy", "statsmodels"],
                requiredBy: "MLRUN_REQUIRE_SCIPY")
        else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-drift-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let seed = UInt32.random(in: 1...UInt32.max)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/fixtures/make_drift_fixtures.py").standardizedFileURL
        let made = try await ExternalProgram.run(python, [script.path, "--out", out.path, "--seed", String(seed)])
        try #require(made.status == 0, "the generator failed (seed \(seed)): \(made.output)")
        print("DriftPluginTests.AgreementTests: fresh fixtures with seed \(seed)")
        try await Self.check(out)
    }
}
