import Foundation
import MLRunCore
import MLRunTestSupport
import Testing

@testable import RoundtripPlugin

/// The static checks of an artifact and the checks against a reference, on the small
/// checkpoints of Fixtures/static (written by scripts/fixtures/make_roundtrip_fixtures.py): each
/// differs from reference.npz in one way, and exactly the checks that should notice it fail.
@Suite struct ArtifactCheckTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: "npz", subdirectory: "Fixtures/static")).path
    }

    /// Runs a suite whose artifact is `artifact` (compared with reference.npz unless told not to).
    static func run(_ artifact: String, reference: Bool = true, extra: String = "") async throws -> SuiteHarness.Run {
        let folder = try SuiteHarness.folder([
            "runner.toml": """
            [[roundtrip]]
            name = "ckpt"
            artifact = "\(try fixture(artifact))"
            \(reference ? "reference = \"\(try fixture("reference"))\"" : "")
            allow_constant = ["norm.*"]
            \(extra)
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await SuiteHarness.run(RoundtripPlugin(), folder.appendingPathComponent("runner.toml"))
    }

    static func outcomes(_ run: SuiteHarness.Run) -> [String: Outcome] {
        run.tests.mapValues(\.outcome)
    }

    @Test func anIdenticalCheckpointPassesEveryCheck() async throws {
        let run = try await Self.run("same")
        #expect(run.ids == ["ckpt::parse", "ckpt::finite", "ckpt::dead_tensors", "ckpt::same_tensors", "ckpt::values", "ckpt::tied_weights"])
        for id in run.ids { #expect(run.tests[id]?.outcome == .passed, "\(id): \(run.tests[id]?.message ?? "")") }
        #expect(run.tests["ckpt::tied_weights"]?.message.contains("embed.weight = lm_head.weight") == true)
        #expect(run.tests["ckpt::parse"]?.number("tensors") == 6)
    }

    @Test func aNaNIsNamedWithItsTensorAndIndex() async throws {
        let run = try await Self.run("nan")
        let finite = try #require(run.tests["ckpt::finite"])
        #expect(finite.outcome == .failed)
        #expect(finite.message.hasPrefix("tensor 'fc.weight' (F32 [8, 8]) holds nan at index [2, 5]"))
        #expect(finite.values["index"] == .array([.int(2), .int(5)]))
        // A NaN is not a NaN bit-for-bit equal to the reference's value.
        #expect(run.tests["ckpt::values"]?.outcome == .failed)
    }

    @Test func aZeroedLayerIsADeadTensorUnlessAllowed() async throws {
        let run = try await Self.run("dead", reference: false)
        let dead = try #require(run.tests["ckpt::dead_tensors"])
        #expect(dead.outcome == .failed)
        #expect(dead.message.hasPrefix("'fc.weight' (F32 [8, 8]) is all zeros"))
        #expect(dead.values["dead"] == .array([.string("fc.weight")]))
        // norm.weight (all ones) is allowed by name; fc.bias (8 zeros) is under min_dead_size.
        #expect(!dead.message.contains("norm.weight"))
        #expect(!dead.message.contains("fc.bias"))
        let lowered = try await Self.run("same", reference: false, extra: "min_dead_size = 4")
        #expect(lowered.tests["ckpt::dead_tensors"]?.message.contains("'fc.bias' (F32 [8]) is all zeros") == true)
    }

    @Test func missingExtraAndRenamedTensorsAreNamed() async throws {
        let run = try await Self.run("renamed")
        let same = try #require(run.tests["ckpt::same_tensors"])
        #expect(same.outcome == .failed)
        #expect(same.message.contains("'fc.weight' is renamed 'fc.linear.weight'"))
        #expect(same.message.contains("'steps' (I64 [1]) is missing"))
        #expect(same.message.contains("'extra.bias' (F32 [3]) is not in the reference"))
    }

    @Test func oneChangedValueFailsValuesWithTheWorstIndex() async throws {
        let run = try await Self.run("changed")
        #expect(run.tests["ckpt::same_tensors"]?.outcome == .passed)
        let values = try #require(run.tests["ckpt::values"])
        #expect(values.outcome == .failed)
        #expect(values.message.hasPrefix("tensor 'fc.weight': 1 of 64 elements differ from the reference (bit-identical); at [3, 1]"))
        #expect(values.number("mismatched") == 1)
        #expect(values.values["tensor"] == .string("fc.weight"))
        #expect(values.values["index"] == .array([.int(3), .int(1)]))
        #expect(abs((values.number("max_abs_diff") ?? 0) - 1e-3) < 1e-6)
    }

    @Test func tiedTensorsThatDivergeFailTiedWeights() async throws {
        let run = try await Self.run("untied")
        let tied = try #require(run.tests["ckpt::tied_weights"])
        #expect(tied.outcome == .failed)
        #expect(tied.message == "tied in the reference, no longer identical: 'embed.weight' = 'lm_head.weight'")
    }

    @Test func anFP16ExportIsComparedWithTorchsFloat16Tolerance() async throws {
        let within = try await Self.run("export_f16", extra: "export_dtype = \"F16\"")
        #expect(within.tests["ckpt::same_tensors"]?.outcome == .passed, "\(within.tests["ckpt::same_tensors"]?.message ?? "")")
        #expect(within.tests["ckpt::values"]?.outcome == .passed, "\(within.tests["ckpt::values"]?.message ?? "")")
        #expect(within.tests["ckpt::tied_weights"]?.outcome == .passed)
        let beyond = try await Self.run("export_f16_off", extra: "export_dtype = \"F16\"")
        let values = try #require(beyond.tests["ckpt::values"])
        #expect(values.outcome == .failed)
        #expect(values.message.contains("tensor 'fc.weight': 1 of 64 elements differ from the reference (atol 1e-05, rtol 0.001)"))
        // Without export_dtype, the fp16 file is the wrong dtype everywhere.
        let undeclared = try await Self.run("export_f16")
        #expect(undeclared.tests["ckpt::same_tensors"]?.message.contains("'fc.weight' is F16 [8, 8], expected F32 [8, 8]") == true)
    }

    @Test func aManifestIsWrittenByUpdateBaselinesAndThenChecked() async throws {
        let folder = try SuiteHarness.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        func config(_ artifact: String) throws -> URL {
            let url = folder.appendingPathComponent("runner-\(artifact).toml")
            try Data(
                """
                [[roundtrip]]
                name = "ckpt"
                artifact = "\(try Self.fixture(artifact))"
                manifest = "manifests/ckpt.json"
                allow_constant = ["norm.*"]
                """.utf8
            ).write(to: url)
            return url
        }
        let missing = try await SuiteHarness.run(RoundtripPlugin(), try config("same"))
        #expect(missing.tests["ckpt::manifest"]?.outcome == .error)
        #expect(missing.tests["ckpt::manifest"]?.message.contains("mlrun --update-baselines ckpt::manifest") == true)
        let written = try await SuiteHarness.run(RoundtripPlugin(), try config("same"), updateBaselines: true)
        #expect(written.tests["ckpt::manifest"]?.outcome == .passed)
        let text = try String(contentsOf: folder.appendingPathComponent("manifests/ckpt.json"), encoding: .utf8)
        #expect(text.hasPrefix("{\"format\": \"npz\", \"tensors\": [\n  {\"name\":\"embed.weight\",\"dtype\":\"F32\",\"shape\":[32,8],\"sha256\":\""))
        #expect(try await SuiteHarness.run(RoundtripPlugin(), try config("same")).tests["ckpt::manifest"]?.outcome == .passed)
        let changed = try await SuiteHarness.run(RoundtripPlugin(), try config("changed")).tests["ckpt::manifest"]
        #expect(changed?.outcome == .failed)
        #expect(changed?.message.contains("'fc.weight' changed: SHA-256") == true)
    }

    @Test func aMissingArtifactIsAnErrorNamingTheFile() async throws {
        let folder = try SuiteHarness.folder([
            "runner.toml": """
            [[roundtrip]]
            name = "gone"
            artifact = "models/missing.npz"
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await SuiteHarness.run(RoundtripPlugin(), folder.appendingPathComponent("runner.toml"))
        #expect(run.tests["gone::parse"]?.outcome == .error)
        #expect(run.tests["gone::parse"]?.message == "models/missing.npz: cannot read: no such file")
        #expect(run.tests["gone::finite"]?.outcome == .error)
        #expect(run.tests["gone::finite"]?.message == "cannot check: models/missing.npz: cannot read: no such file")
    }

    @Test func aTruncatedArtifactFailsParseAndEveryOtherCheckIsAnErrorNamingIt() async throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("same")))
        let folder = try SuiteHarness.folder([
            "runner.toml": """
            [[roundtrip]]
            name = "cut"
            artifact = "cut.npz"
            reference = "\(try Self.fixture("reference"))"
            """
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        try whole.prefix(whole.count / 2).write(to: folder.appendingPathComponent("cut.npz"))
        let run = try await SuiteHarness.run(RoundtripPlugin(), folder.appendingPathComponent("runner.toml"))
        let parse = try #require(run.tests["cut::parse"])
        #expect(parse.outcome == .failed)
        #expect(parse.message.hasPrefix("cut.npz: "), "\(parse.message)")
        for test in ["finite", "dead_tensors", "same_tensors", "values", "tied_weights"] {
            let result = try #require(run.tests["cut::\(test)"])
            #expect(result.outcome == .error, "\(test): \(result.message)")
            let verb = test == "finite" || test == "dead_tensors" ? "check" : "compare"
            #expect(result.message == "cannot \(verb): " + parse.message, "\(test)")
        }
    }
}
