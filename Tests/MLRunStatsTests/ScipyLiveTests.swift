import Foundation
import MLRunOracles
import Testing

@testable import MLRunStats

/// Fresh random cases compared with a live SciPy, when one is importable.
///
/// The interpreter is `MLRUN_PYTHON` if set, else `.venv/bin/python` at the package root, else
/// `python3` on the PATH. Without SciPy these tests are skipped (the skip says why); the
/// committed fixtures cover the same code paths either way. Each run draws a new seed, printed
/// with any failure so it can be replayed (`MLRUN_LIVE_SEED`). Tolerance: ``agreesWithScipy``.
enum LiveScipy {
    /// Generates random samples with numpy from `seed` and returns SciPy's answers as JSON.
    static let script = #"""
        import json, sys, numpy as np, scipy.stats
        rng = np.random.default_rng(int(sys.argv[1]))
        out = {"ks": [], "chi2": []}
        sizes = [(int(rng.integers(1, 60)), int(rng.integers(1, 60))), (int(rng.integers(100, 3000)),) * 2,
                 (int(rng.integers(100, 4000)), int(rng.integers(100, 4000))), (int(rng.integers(10001, 40000)), int(rng.integers(50, 30000)))]
        for n1, n2 in sizes:
            for kind in ["normal", "integers"]:
                if kind == "normal":
                    x = rng.normal(size=n1); y = rng.normal(rng.uniform(0, 0.4), size=n2)
                else:
                    x = rng.integers(0, 20, n1).astype(float); y = rng.integers(0, 21, n2).astype(float)
                r = scipy.stats.ks_2samp(x, y)
                out["ks"].append({"x": x.tolist(), "y": y.tolist(), "statistic": float(r.statistic), "p_value": float(r.pvalue)})
        for k in [2, int(rng.integers(3, 12))]:
            a = rng.integers(1, 500, k); b = rng.integers(1, 500, k)
            r = scipy.stats.chi2_contingency(np.array([a, b]))
            out["chi2"].append({"reference": a.tolist(), "current": b.tolist(), "statistic": float(r.statistic), "p_value": float(r.pvalue)})
        print(json.dumps(out))
        """#

    struct Answer: Decodable {
        struct KS: Decodable { let x: [Double]; let y: [Double]; let statistic: Double; let p_value: Double }
        struct Chi2: Decodable { let reference: [Int]; let current: [Int]; let statistic: Double; let p_value: Double }
        let ks: [KS]
        let chi2: [Chi2]
    }
}

@Suite struct ScipyLiveTests {
    @Test func freshRandomCasesAgreeWithLiveScipy() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard
            let python = try await PythonOracle.interpreter(
                importing: ["numpy", "scipy"], requiredBy: "MLRUN_REQUIRE_SCIPY",
                extraCandidates: [root.appending(path: ".venv/bin/python").path])
        else { return }
        let seed = ProcessInfo.processInfo.environment["MLRUN_LIVE_SEED"].flatMap(UInt32.init) ?? UInt32.random(in: 1...UInt32.max)
        // On a thread of its own (ExternalProgram): the script must not block the cooperative pool.
        let run = try await ExternalProgram.run(python, ["-c", LiveScipy.script, String(seed)])
        try #require(run.status == 0, "seed \(seed): the script failed: \(run.stderr)")
        let output = run.stdout
        let answer = try JSONDecoder().decode(LiveScipy.Answer.self, from: Data(output.utf8))
        #expect(answer.ks.count == 8)
        for (index, c) in answer.ks.enumerated() {
            let result = try #require(try KolmogorovSmirnov.test(reference: c.x, current: c.y).value)
            let label = "seed \(seed), KS case \(index) (n = \(c.x.count), \(c.y.count))"
            #expect(agreesWithScipy(result.statistic, c.statistic), "\(label): D \(result.statistic) vs \(c.statistic)")
            #expect(agreesWithScipy(result.pValue, c.p_value), "\(label): p \(result.pValue) vs \(c.p_value)")
        }
        for (index, c) in answer.chi2.enumerated() {
            let names = c.reference.indices.map { "c\($0)" }
            let counts = try CategoryCounts(categories: names, reference: c.reference, current: c.current)
            let result = try #require(ChiSquare.test(counts).value)
            #expect(agreesWithScipy(result.statistic, c.statistic), "seed \(seed), chi2 case \(index)")
            #expect(agreesWithScipy(result.pValue, c.p_value), "seed \(seed), chi2 case \(index)")
        }
    }
}
