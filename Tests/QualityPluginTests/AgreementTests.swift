import Foundation
import MLRunCore
import MLRunOracles
import MLRunTestSupport
import Testing

@testable import QualityPlugin

/// Every value the `[[quality]]` suites report equals scikit-learn's, fairlearn's, SciPy's
/// (McNemar: `binomtest`) and MLstatkit's (DeLong) on the same files.
///
/// The files, the config and the reference values are written by
/// scripts/fixtures/make_quality_fixtures.py: heavy score ties, exact 0/1 scores, a
/// three-class model with named classes and argmax ties, a regression, segments (one below
/// `min_segment_size`), a sensitive attribute inside segments, and a baseline model's
/// predictions for the paired tests. The committed set always runs; when Python can import
/// the libraries, a fresh set with a new seed is generated and checked too (required under
/// MLRUN_REQUIRE_SKLEARN, as CI sets it).
///
/// Tolerance: |mlrun − reference| ≤ 1e-9 · max(1, |reference|), the 1e-9. Both sides
/// compute in doubles with different summation orders.
@Suite struct AgreementTests {
    static let tolerance = 1e-9

    static func fixtureFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "agreement", withExtension: nil, subdirectory: "Fixtures"))
    }

    /// Compares a run with the expected values of expected.json in `folder`.
    static func check(_ folder: URL) async throws {
        let expectedData = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let expected = try #require(root["tests"] as? [String: [String: Any]])
        let run = try await SuiteHarness.run(QualityPlugin(), folder.appendingPathComponent("runner.toml"))
        #expect(run.collectErrors.isEmpty, "\(run.collectErrors)")
        // The same set of tests, no more and no fewer.
        #expect(
            Set(run.tests.keys) == Set(expected.keys),
            "only mlrun: \(Set(run.tests.keys).subtracting(expected.keys).sorted()); only expected: \(Set(expected.keys).subtracting(run.tests.keys).sorted())"
        )
        var compared = 0
        for (id, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let got = run.tests[id] else { continue }
            if let rows = want["skipped"] as? Int {
                #expect(got.outcome == .skipped, "\(id): \(got.outcome) \(got.message)")
                #expect(got.message.contains("has \(rows) rows, fewer than min_segment_size = 50"), "\(id): \(got.message)")
                continue
            }
            #expect(got.outcome == .passed || got.outcome == .failed, "\(id): \(got.outcome) \(got.message)")
            for (key, value) in want {
                guard let reference = (value as? NSNumber)?.doubleValue else { continue }
                let mine = try #require(got.number(key), "\(id): no '\(key)' in \(got.values)")
                #expect(
                    abs(mine - reference) <= tolerance * max(1, abs(reference)),
                    "\(id) \(key): mlrun \(mine), reference \(reference), difference \(mine - reference)")
                compared += 1
            }
        }
        #expect(compared >= 150, "compared only \(compared) values")
    }

    @Test func committedFixturesAgreeWithTheLibraries() async throws {
        try await Self.check(try Self.fixtureFolder())
    }

    @Test func freshDataAgreeWhenTheLibrariesAreInstalled() async throws {
        guard
            let python = try await PythonOracle.interpreter(
                importing: ["sklearn", "fairlearn", "scipy", "MLstatkit"],
                requiredBy: "MLRUN_REQUIRE_SKLEARN")
        else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-quality-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let seed = UInt32.random(in: 1...UInt32.max)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../scripts/fixtures/make_quality_fixtures.py"
        ).standardizedFileURL
        let made = try await ExternalProgram.run(python, [script.path, "--out", out.path, "--seed", String(seed)])
        try #require(made.status == 0, "the generator failed (seed \(seed)): \(made.output)")
        try await Self.check(out)
    }
}
