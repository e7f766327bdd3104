import Foundation
import MLRunCore
import MLRunProtocol
import MLRunTensors

/// One `[[roundtrip]]` table: one test per check of the artifact, of the artifact against the
/// reference, and of the round trip through the model program.
///
/// The tests list comes from the config alone, so collection reads no file. The artifact and
/// the reference are read (and summarized in one pass) once, by the first test that needs them;
/// the round trip runs once, by the first model test. Under `-n`, each worker process holds its
/// own suite, and so its own model process.
final class RoundtripSuite: Suite, @unchecked Sendable {
    let spec: RoundtripSpec
    let environment: PluginEnvironment
    var name: String { spec.name }
    var plugin: String { "roundtrip" }
    var markers: [Marker] { spec.markers }
    var paths: [String] { spec.paths }

    private let lock = NSLock()
    private var artifactRead: Result<ArtifactAnalysis, TensorFileError>?
    private var referenceRead: Result<ArtifactAnalysis, TensorFileError>?
    private var roundTrip: Result<ModelRoundTrip, ModelRoundTrip.Stop>?
    private let model: ModelSession?
    private let fresh: ModelSession?

    init(spec: RoundtripSpec, environment: PluginEnvironment) {
        self.spec = spec
        self.environment = environment
        if let argv = spec.model {
            let variables = ModelHelper.environment(adding: ["MLRUN_MODEL_PROTOCOL": "1", "MLRUN_SEED": String(environment.runSeed)])
            let launch = ProgramLaunch(
                argv: argv.map { $0.replacingOccurrences(of: "{device}", with: "cpu") }, directory: environment.configDirectory,
                environment: variables)
            model = ModelSession(launch: launch)
            fresh = ModelSession(launch: launch, role: "the fresh model program")
        } else {
            model = nil
            fresh = nil
        }
    }

    /// The tests, in the order they run.
    var testNames: [String] {
        var names: [String] = []
        if let artifact = spec.artifact {
            // A pickle's imports are checked first: they are why its tensors may not be read.
            if TensorFile.format(ofPath: artifact.url.path) == .pickle { names.append("pickle_scan") }
            names += ["parse", "finite", "dead_tensors"]
            if spec.manifest != nil { names.append("manifest") }
        }
        if spec.reference != nil { names += ["same_tensors", "values", "tied_weights"] }
        if spec.model != nil {
            names.append("roundtrip")
            if spec.saveTwice { names.append("save_twice") }
            if spec.expected != nil { names.append("expected") }
        }
        return names
    }

    func collect() async throws(SuiteError) -> [TestCase] {
        let timeout = spec.timeout
        // Every test checks the model; those that start the model program are integration tests.
        let programTests: Set<String> = ["roundtrip", "save_twice", "expected"]
        return testNames.map { name in
            TestCase(
                name: name, markers: programTests.contains(name) ? [Marker("model"), Marker("integration")] : [Marker("model")], timeout: timeout)
        }
    }

    func run(_ test: TestCase, context: TestContext) async throws -> TestVerdict {
        let result: CheckResult
        switch test.name {
        case "parse":
            guard let file = spec.artifact else { return .error("no artifact") }
            result = ArtifactChecks.parse(await artifact(), file: file)
        case "finite": result = await withArtifact { ArtifactChecks.finite($0) }
        case "dead_tensors": result = await withArtifact { ArtifactChecks.deadTensors($0, spec: self.spec) }
        case "manifest": result = await withArtifact { self.manifest($0) }
        case "pickle_scan":
            guard let file = spec.artifact else { return .error("no artifact") }
            result = await DedicatedThread.run { ArtifactChecks.pickleScan(file) }
        case "same_tensors": result = await withBoth { ReferenceChecks.sameTensors(artifact: $0, reference: $1, spec: self.spec) }
        case "values": result = await withBoth { ReferenceChecks.values(artifact: $0, reference: $1, spec: self.spec) }
        case "tied_weights": result = await withBoth { ReferenceChecks.tiedWeights(artifact: $0, reference: $1) }
        case "roundtrip": result = await withRoundTrip(context) { $0.roundtripResult() }
        case "save_twice": result = await withRoundTrip(context) { $0.saveTwiceResult() }
        case "expected": result = await withRoundTrip(context) { self.expected($0) }
        default: return .error("no test \(test.name) in [[roundtrip]] '\(spec.name)'")
        }
        for (key, value) in result.values { context.record(key, value) }
        return result.verdict
    }

    func finish() async {
        await model?.finish()
        await fresh?.finish()
    }

    // MARK: shared work

    private func artifact() async -> Result<ArtifactAnalysis, TensorFileError> {
        await analysis(of: spec.artifact, role: "artifact", cache: \.artifactRead)
    }

    private func reference() async -> Result<ArtifactAnalysis, TensorFileError> {
        await analysis(of: spec.reference, role: "reference", cache: \.referenceRead)
    }

    /// `file` read and summarized by the first test that asks, off the cooperative pool; later
    /// tests get the same result from `cache`.
    private func analysis(
        of file: RoundtripSpec.File?, role: String,
        cache: ReferenceWritableKeyPath<RoundtripSuite, Result<ArtifactAnalysis, TensorFileError>?> & Sendable
    ) async -> Result<ArtifactAnalysis, TensorFileError> {
        guard let file else { return .failure(TensorFileError(source: "", message: "no \(role)")) }
        return await DedicatedThread.run {
            self.lock.withLock {
                if let read = self[keyPath: cache] { return read }
                let read = ArtifactAnalysis.read(file)
                self[keyPath: cache] = read
                return read
            }
        }
    }

    private func withArtifact(_ check: @escaping @Sendable (ArtifactAnalysis) -> CheckResult) async -> CheckResult {
        switch await artifact() {
        case .failure(let error): return .error("cannot check: \(error.description)")
        case .success(let analysis): return await DedicatedThread.run { check(analysis) }
        }
    }

    private func withBoth(_ check: @escaping @Sendable (ArtifactAnalysis, ArtifactAnalysis) -> CheckResult) async -> CheckResult {
        let artifact = await artifact()
        let reference = await reference()
        switch (artifact, reference) {
        case (.failure(let error), _): return .error("cannot compare: \(error.description)")
        case (_, .failure(let error)): return .error("cannot compare: reference \(error.description)")
        case (.success(let a), .success(let r)): return await DedicatedThread.run { check(a, r) }
        }
    }

    private func withRoundTrip(_ context: TestContext, _ check: (ModelRoundTrip) -> CheckResult) async -> CheckResult {
        guard let model, let fresh else { return .error("no 'model' in [[roundtrip]] '\(spec.name)'") }
        let done = lock.withLock { roundTrip }
        let outcome: Result<ModelRoundTrip, ModelRoundTrip.Stop>
        if let done {
            outcome = done
        } else {
            let folder: URL
            do {
                folder = try context.temporaryDirectory()
            } catch {
                return .error("cannot make a temporary folder: \(error)")
            }
            let limit = context.timeout ?? spec.timeout ?? 600
            outcome = await ModelRoundTrip.run(spec: spec, model: model, fresh: fresh, folder: folder, limit: limit)
            if case .success(let trip) = outcome, !trip.stderr.isEmpty { context.attach(stderr: trip.stderr) }
            if case .failure(let stop) = outcome, stop.verdict.outcome == .skipped { return CheckResult(verdict: stop.verdict) }
            lock.withLock { roundTrip = outcome }
        }
        switch outcome {
        case .failure(let stop):
            let stderr = model.takeStderr().text + fresh.takeStderr().text
            if !stderr.isEmpty { context.attach(stderr: stderr) }
            return CheckResult(verdict: stop.verdict)
        case .success(let trip): return check(trip)
        }
    }

    // MARK: checks that need the suite's files

    private func manifest(_ analysis: ArtifactAnalysis) -> CheckResult {
        guard let file = spec.manifest else { return .error("no manifest") }
        let actual = Manifest(analysis)
        if environment.updateBaselines {
            do {
                try FileManager.default.createDirectory(at: file.url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.text.utf8).write(to: file.url, options: .atomic)
            } catch {
                return .error("cannot write the manifest \(file.written): \(error.localizedDescription)")
            }
            return .passed("wrote the manifest \(file.written) (\(actual.entries.count) tensors)")
        }
        let recorded: Manifest?
        do {
            recorded = try Manifest.read(file)
        } catch {
            return .error(error.description)
        }
        guard let recorded else {
            return .error("manifest \(file.written) does not exist; write it from the artifact with: mlrun --update-baselines \(spec.name)::manifest")
        }
        let differences = recorded.differences(from: actual)
        guard differences.isEmpty else {
            return .failed(
                "the artifact differs from \(file.written): " + differences.prefix(20).joined(separator: "; ")
                    + (differences.count > 20 ? "; and \(differences.count - 20) more" : ""),
                [("mismatched", .int(differences.count))])
        }
        return .passed("\(actual.entries.count) tensors match \(file.written)", [("mismatched", .int(0))])
    }

    private func expected(_ trip: ModelRoundTrip) -> CheckResult {
        guard let file = spec.expected else { return .error("no expected file") }
        if environment.updateBaselines {
            do {
                try FileManager.default.createDirectory(at: file.url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(trip.firstFile).write(to: file.url, options: .atomic)
            } catch {
                return .error("cannot write the expected predictions \(file.written): \(error.localizedDescription)")
            }
            return .passed("wrote the expected predictions \(file.written) (\(trip.first.layoutText))")
        }
        guard FileManager.default.fileExists(atPath: file.url.path) else {
            return .error("expected predictions \(file.written) do not exist; write them with: mlrun --update-baselines \(spec.name)::expected")
        }
        let golden: Tensor
        do {
            guard let tensor = try TensorFile.open(file.url, source: file.written).tensors.first else {
                return .error("\(file.written) holds no array")
            }
            golden = tensor
        } catch {
            return .error(error.description)
        }
        let actual = trip.first
        guard actual.shape == golden.shape else {
            return .failed("the prediction is \(actual.layoutText); \(file.written) holds \(golden.layoutText)")
        }
        guard let tolerance = Tolerance.rule(actual: actual.dtype, expected: golden.dtype, atol: spec.tolerance, rtol: spec.relativeTolerance) else {
            return .error("no default tolerance for \(actual.dtype); set 'tolerance' and 'relative_tolerance'")
        }
        let difference = TensorDifference(actual: actual, expected: golden, rule: .close(atol: tolerance.atol, rtol: tolerance.rtol))
        let values = CheckResult.differenceValues(difference, tensor: nil, mismatched: difference.mismatched)
        guard difference.mismatched > 0 else {
            return .passed("\(actual.count) predicted values within atol \(tolerance.atol), rtol \(tolerance.rtol) of \(file.written)", values)
        }
        let index = difference.worstIndex ?? difference.firstMismatch ?? 0
        return .failed(
            "\(difference.mismatched) of \(difference.count) predicted values differ from \(file.written) beyond atol \(tolerance.atol), rtol \(tolerance.rtol); "
                + "worst at \(actual.indexText(index)): \(actual.valueText(at: index)), expected \(golden.valueText(at: index))",
            values + [("index", .array(actual.multiIndex(of: index).map { .int($0) }))])
    }
}
