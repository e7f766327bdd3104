import MLRunCore
import MLRunTensors

/// The checks of `artifact` against a `reference` checkpoint.
enum ReferenceChecks {
    /// `same_tensors`: the same names, shapes and dtypes (the export dtype in place of the
    /// reference's float dtypes where one is declared); missing, extra and renamed tensors named.
    static func sameTensors(artifact: ArtifactAnalysis, reference: ArtifactAnalysis, spec: RoundtripSpec) -> CheckResult {
        let found = Dictionary(artifact.file.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expected = Dictionary(reference.file.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var missing = reference.file.tensors.filter { found[$0.name] == nil }
        var extra = artifact.file.tensors.filter { expected[$0.name] == nil }
        var problems: [String] = []
        // A missing and an extra tensor with the same layout (and bits, without an export
        // dtype) are most likely one tensor renamed.
        let shaOf = Dictionary(
            zip(artifact.file.tensors, artifact.summaries).map { ($0.0.name, $0.1.sha256) }
                + zip(reference.file.tensors, reference.summaries).map {
                    ("reference:" + $0.0.name, $0.1.sha256)
                }, uniquingKeysWith: { first, _ in first })
        for old in missing {
            let candidates = extra.filter {
                $0.shape == old.shape && $0.dtype == expectedDType(of: old, spec: spec)
                    && (spec.exportDType != nil || shaOf[$0.name] == shaOf["reference:" + old.name])
            }
            if candidates.count == 1, let new = candidates.first {
                problems.append("'\(old.name)' is renamed '\(new.name)'")
                missing.removeAll { $0.name == old.name }
                extra.removeAll { $0.name == new.name }
            }
        }
        problems += missing.map { "'\($0.name)' (\($0.layoutText)) is missing" }
        problems += extra.map { "'\($0.name)' (\($0.layoutText)) is not in the reference" }
        for tensor in reference.file.tensors {
            guard let other = found[tensor.name] else { continue }
            let dtype = expectedDType(of: tensor, spec: spec)
            if other.dtype != dtype || other.shape != tensor.shape {
                problems.append("'\(tensor.name)' is \(other.layoutText), expected \(dtype) \(tensor.layoutText.drop { $0 != " " }.dropFirst())")
            }
        }
        guard problems.isEmpty else {
            return .failed(
                problems.prefix(20).joined(separator: "; ") + (problems.count > 20 ? "; and \(problems.count - 20) more" : ""),
                [("mismatched", .int(problems.count))])
        }
        return .passed("\(reference.file.tensors.count) tensors with the same names, shapes and dtypes", [("mismatched", .int(0))])
    }

    /// `values`: each tensor in both files is bit-identical to the reference's, or, with an
    /// export dtype, within that dtype's tolerance (``Tolerance``).
    static func values(artifact: ArtifactAnalysis, reference: ArtifactAnalysis, spec: RoundtripSpec) -> CheckResult {
        var totalMismatched = 0
        var compared = 0
        var worst: (tensor: Tensor, difference: TensorDifference)?
        var firstBad: (tensor: Tensor, difference: TensorDifference, rule: String)?
        for tensor in reference.file.tensors {
            guard let other = artifact.file.tensor(named: tensor.name), other.shape == tensor.shape else { continue }
            let rule: TensorDifference.Rule
            let ruleText: String
            if spec.exportDType != nil || spec.tolerance != nil || spec.relativeTolerance != nil, tensor.dtype.isFloatingPoint,
                other.dtype.isReadable,
                tensor.dtype.isReadable
            {
                guard let tolerance = Tolerance.rule(actual: other.dtype, expected: tensor.dtype, atol: spec.tolerance, rtol: spec.relativeTolerance)
                else {
                    return .error(
                        "torch.testing.assert_close has no default tolerance for \(other.dtype); set 'tolerance' and 'relative_tolerance' in [[roundtrip]] '\(spec.name)'"
                    )
                }
                rule = .close(atol: tolerance.atol, rtol: tolerance.rtol)
                ruleText = "atol \(tolerance.atol), rtol \(tolerance.rtol)"
            } else {
                guard other.dtype == tensor.dtype else { continue }
                rule = .bitIdentical
                ruleText = "bit-identical"
            }
            let difference = TensorDifference(actual: other, expected: tensor, rule: rule)
            compared += 1
            totalMismatched += difference.mismatched
            if worst == nil || difference.maxAbsDiff > worst?.difference.maxAbsDiff ?? 0 { worst = (other, difference) }
            if difference.mismatched > 0, firstBad == nil { firstBad = (other, difference, ruleText) }
        }
        guard let bad = firstBad else {
            return .passed("\(compared) tensors equal to the reference", CheckResult.differenceValues(worst?.difference, tensor: nil, mismatched: 0))
        }
        let index = bad.difference.worstIndex ?? bad.difference.firstMismatch ?? 0
        let reference = reference.file.tensor(named: bad.tensor.name)
        let was = reference.map { $0.valueText(at: index) } ?? "?"
        let now = bad.tensor.valueText(at: index)
        return .failed(
            "tensor '\(bad.tensor.name)': \(bad.difference.mismatched) of \(bad.difference.count) elements differ from the reference (\(bad.rule)); "
                + "at \(bad.tensor.indexText(index)) it holds \(now), the reference \(was); max abs diff \(bad.difference.maxAbsDiff)",
            CheckResult.differenceValues(bad.difference, tensor: bad.tensor, mismatched: totalMismatched))
    }

    /// `tied_weights`: tensors that are identical in the reference (tied embeddings, shared
    /// layers) are still identical in the artifact. Constant tensors are left out: they are
    /// equal by accident, and `dead_tensors` speaks for them.
    static func tiedWeights(artifact: ArtifactAnalysis, reference: ArtifactAnalysis) -> CheckResult {
        var groups: [String: [Tensor]] = [:]
        var order: [String] = []
        for (tensor, summary) in zip(reference.file.tensors, reference.summaries) where !summary.isConstant && tensor.count > 0 {
            let key = "\(tensor.dtype) \(tensor.shape) \(summary.sha256)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(tensor)
        }
        let tied = order.compactMap { groups[$0] }.filter { $0.count > 1 }
        guard !tied.isEmpty else {
            return CheckResult(verdict: .skipped("the reference has no tied tensors (no two non-constant tensors are identical)"))
        }
        var broken: [String] = []
        let hashes = Dictionary(
            zip(artifact.file.tensors, artifact.summaries).map { ($0.0.name, $0.1.sha256) }, uniquingKeysWith: { first, _ in first })
        for group in tied {
            let names = group.map(\.name)
            let present = names.filter { hashes[$0] != nil }
            if Set(present.compactMap { hashes[$0] }).count > 1 || present.count < names.count {
                broken.append(names.map { "'\($0)'" }.joined(separator: " = ") + (present.count < names.count ? " (some are missing)" : ""))
            }
        }
        guard broken.isEmpty else {
            return .failed("tied in the reference, no longer identical: " + broken.joined(separator: "; "), [("mismatched", .int(broken.count))])
        }
        return .passed(
            "\(tied.count) groups of tied tensors still identical: "
                + tied.prefix(5).map { $0.map(\.name).joined(separator: " = ") }.joined(separator: "; "),
            [("mismatched", .int(0))])
    }

    /// The dtype the artifact should have for `tensor`: the export dtype for float tensors
    /// where one is declared, else the reference's own.
    static func expectedDType(of tensor: Tensor, spec: RoundtripSpec) -> TensorDType {
        guard let export = spec.exportDType, tensor.dtype.isFloatingPoint else { return tensor.dtype }
        return export
    }
}
