import Crypto
import Foundation
import MLRunCore
import MLRunProtocol
import MLRunTensors

/// The real round trip through the model protocol, run once per suite and shared by the
/// `roundtrip`, `save_twice` and `expected` tests.
///
/// In the suite's model process: `load` the artifact (when there is one), `predict` on the
/// inputs, `save` (twice under `save_twice`). Then, in a fresh process, so that state kept only
/// in memory cannot hide a broken file: `load` what was saved, and `predict` again.
struct ModelRoundTrip: Sendable {
    /// Why the round trip stopped before its end.
    struct Stop: Error, Sendable {
        var verdict: TestVerdict
    }

    /// The first prediction's file, as read back, and its bytes (for `--update-baselines`).
    var first: Tensor
    var firstFile: [UInt8]
    /// The fresh process's prediction.
    var second: Tensor
    /// The SHA-256 and size of each save (two under `save_twice`).
    var saves: [(sha256: String, bytes: [UInt8])]
    /// What the model programs wrote to stderr.
    var stderr: String
    /// How the saved file's tensors differ from the artifact's, when both can be read and they
    /// differ: the likely cause of a failed round trip.
    var savedFileNote: String? = nil

    /// Runs the round trip in `folder`; a stop carries the verdict for every test that needs it.
    static func run(spec: RoundtripSpec, model: ModelSession, fresh: ModelSession, folder: URL, limit: Double) async -> Result<ModelRoundTrip, Stop> {
        let inputs: [(String, URL)]
        do {
            inputs = try ModelInputs.write(spec.inputs ?? .named([]), into: folder)
        } catch {
            return .failure(Stop(verdict: .error(error.description)))
        }
        var log = ""
        func ask(_ session: ModelSession, _ fields: [(String, JSONValue)], what: String) async -> Stop? {
            let reply = await session.request(JSONValue.object(fields).jsonText, limit: limit)
            log += session.takeStderr().text
            switch reply {
            case .ok: return nil
            case .refused(let message): return Stop(verdict: .failed("the model refused to \(what): \(message)"))
            case .lost(let loss): return Stop(verdict: verdict(for: loss, what: what, program: spec.model ?? []))
            }
        }
        func predict(_ session: ModelSession, into name: String) -> [(String, JSONValue)] {
            [
                ("op", .string("predict")), ("inputs", .object(inputs.map { ($0.0, .string($0.1.path)) })),
                ("output", .string(folder.appendingPathComponent(name).path)),
            ]
        }
        if let artifact = spec.artifact {
            if let stop = await ask(
                model, [("op", .string("load")), ("path", .string(artifact.url.path))], what: "load the artifact \(artifact.written)")
            {
                return .failure(stop)
            }
        }
        if let stop = await ask(model, predict(model, into: "prediction-1.npy"), what: "predict") { return .failure(stop) }
        var saved: [URL] = []
        for attempt in 1...(spec.saveTwice ? 2 : 1) {
            let url = folder.appendingPathComponent("save-\(attempt)", isDirectory: true).appendingPathComponent(spec.saveAs)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let stop = await ask(model, [("op", .string("save")), ("path", .string(url.path))], what: "save to \(url.path)") {
                return .failure(stop)
            }
            saved.append(url)
        }
        var saves: [(String, [UInt8])] = []
        for url in saved {
            guard let data = try? Data(contentsOf: url) else {
                return .failure(Stop(verdict: .failed("the model answered ok to 'save' but wrote no file at \(url.path)")))
            }
            saves.append((SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), [UInt8](data)))
        }
        if let stop = await ask(fresh, [("op", .string("load")), ("path", .string(saved[0].path))], what: "load the saved file in a fresh process") {
            return .failure(stop)
        }
        if let stop = await ask(fresh, predict(fresh, into: "prediction-2.npy"), what: "predict after loading the saved file in a fresh process") {
            return .failure(stop)
        }
        await fresh.finish()
        log += fresh.takeStderr().text
        let firstURL = folder.appendingPathComponent("prediction-1.npy")
        let first: TensorFile
        let second: TensorFile
        do {
            first = try TensorFile.open(firstURL, source: "the first prediction (\(firstURL.lastPathComponent))")
            second = try TensorFile.open(folder.appendingPathComponent("prediction-2.npy"), source: "the prediction after the round trip")
        } catch {
            return .failure(
                Stop(verdict: .failed("the model answered ok to 'predict' but its output is not a valid .npy file: \(error.description)")))
        }
        guard let a = first.tensors.first, let b = second.tensors.first, let firstBytes = try? Data(contentsOf: firstURL) else {
            return .failure(Stop(verdict: .failed("the model's prediction holds no array")))
        }
        let note = spec.artifact.flatMap { compareSaved(saved[0], with: $0) }
        return .success(ModelRoundTrip(first: a, firstFile: [UInt8](firstBytes), second: b, saves: saves, stderr: log, savedFileNote: note))
    }

    /// The tensors the saved file lacks, adds or changes relative to the artifact; `nil` when
    /// either file is not one mlrun reads, or when they hold the same names, dtypes and shapes.
    static func compareSaved(_ url: URL, with artifact: RoundtripSpec.File) -> String? {
        guard let saved = try? TensorFile.open(url, source: url.lastPathComponent),
            let original = try? TensorFile.open(artifact.url, source: artifact.written)
        else { return nil }
        let savedByName = Dictionary(saved.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let originalNames = Set(original.tensors.map(\.name))
        var notes: [String] = []
        let missing = original.tensors.filter { savedByName[$0.name] == nil }
        if !missing.isEmpty {
            notes.append("the saved file lacks " + missing.prefix(10).map { "'\($0.name)' (\($0.layoutText))" }.joined(separator: ", "))
        }
        let extra = saved.tensors.filter { !originalNames.contains($0.name) }
        if !extra.isEmpty {
            notes.append("the saved file adds " + extra.prefix(10).map { "'\($0.name)' (\($0.layoutText))" }.joined(separator: ", "))
        }
        for tensor in original.tensors {
            guard let other = savedByName[tensor.name], other.dtype != tensor.dtype || other.shape != tensor.shape else { continue }
            notes.append("'\(tensor.name)' is \(other.layoutText) in the saved file, \(tensor.layoutText) in the artifact")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// The verdict for a request the program never answered.
    static func verdict(for loss: ModelSession.Loss, what: String, program: [String]) -> TestVerdict {
        let name = program.joined(separator: " ")
        switch loss.kind {
        case .launchFailed: return .error("cannot start the model program \(name): \(loss.message)")
        case .cancelled: return .skipped("interrupted")
        case .timedOut: return .timeout("\(loss.message) (asked to \(what))")
        case .protocolError: return .error("\(loss.message) (asked to \(what))")
        case .crashed:
            return loss.beforeFirstReply
                ? .error("the model program \(name) died at start-up: \(loss.message)")
                : .crashed("\(loss.message) (asked to \(what))")
        }
    }

    // MARK: the tests' verdicts

    /// `roundtrip`: the prediction after save and a fresh load is bit-identical to the first.
    func roundtripResult() -> CheckResult {
        guard first.shape == second.shape, first.dtype == second.dtype else {
            return .failed(
                "after the round trip the prediction is \(second.layoutText); before it was \(first.layoutText)",
                CheckResult.differenceValues(nil, tensor: nil, mismatched: max(first.count, second.count)))
        }
        let difference = TensorDifference(actual: second, expected: first, rule: .bitIdentical)
        let values = CheckResult.differenceValues(difference, tensor: nil, mismatched: difference.mismatched)
        guard difference.mismatched > 0 else {
            return .passed("\(first.count) predicted values bit-identical after save and a load in a fresh process", values)
        }
        let index = difference.worstIndex ?? difference.firstMismatch ?? 0
        var indexValues = values
        indexValues.append(("index", .array(first.multiIndex(of: index).map { .int($0) })))
        return .failed(
            "\(difference.mismatched) of \(difference.count) predicted values changed after save and a load in a fresh process; "
                + "at \(first.indexText(index)): \(first.valueText(at: index)) before, \(second.valueText(at: index)) after; max abs diff \(difference.maxAbsDiff)"
                + (savedFileNote.map { "\n\($0)" } ?? ""),
            indexValues)
    }

    /// `save_twice`: two saves of the same model are byte-identical.
    func saveTwiceResult() -> CheckResult {
        guard saves.count == 2 else { return .error("save_twice needs two saves") }
        let (a, b) = (saves[0].bytes, saves[1].bytes)
        guard a != b else { return .passed("two saves are byte-identical (\(a.count) bytes, SHA-256 \(saves[0].sha256.prefix(12))…)") }
        let offset = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        return .failed(
            "two saves of the same model differ: first at byte \(offset) (sizes \(a.count) and \(b.count) bytes); a timestamp, a random name or an unordered map in the file?",
            [("offset", .int(offset))])
    }
}
