import Foundation
import MLRunCore
import MLRunTensors

/// The static checks of `artifact`: they read the file and run no framework.
enum ArtifactChecks {
    /// `parse`: the file reads under its format's strict rules.
    static func parse(_ read: Result<ArtifactAnalysis, TensorFileError>, file: RoundtripSpec.File) -> CheckResult {
        switch read {
        case .failure(let error):
            // A file that is not there (or cannot be opened) is bad input, not a bad model file.
            guard FileManager.default.isReadableFile(atPath: file.url.path) else { return .error(error.description) }
            return .failed(error.description)
        case .success(let analysis):
            let bytes = analysis.file.tensors.reduce(0) { $0 + $1.byteRange.count }
            return .passed(
                "\(analysis.file.tensors.count) tensors, \(bytes) bytes of \(analysis.file.format.rawValue)",
                [("tensors", .int(analysis.file.tensors.count)), ("bytes", .int(bytes))])
        }
    }

    /// `finite`: no NaN or infinity in any float tensor; names the first bad one and its index.
    static func finite(_ analysis: ArtifactAnalysis) -> CheckResult {
        var bad: [(Tensor, Int)] = []
        for (tensor, summary) in zip(analysis.file.tensors, analysis.summaries) {
            if let index = summary.firstNonFinite { bad.append((tensor, index)) }
        }
        let checked = analysis.file.tensors.filter { $0.dtype.isFloatingPoint && $0.dtype.isReadable }.count
        guard let (tensor, index) = bad.first else {
            return .passed("\(checked) float tensors, all values finite", [("non_finite_tensors", .int(0))])
        }
        let value = tensor.valueText(at: index)
        let others =
            bad.count > 1
            ? "; \(bad.count - 1) more tensors hold non-finite values: " + bad.dropFirst().prefix(5).map { "'\($0.0.name)'" }.joined(separator: ", ")
            : ""
        return .failed(
            "tensor '\(tensor.name)' (\(tensor.layoutText)) holds \(value) at index \(tensor.indexText(index))\(others)",
            [
                ("tensor", .string(tensor.name)), ("index", .array(tensor.multiIndex(of: index).map { .int($0) })),
                ("non_finite_tensors", .int(bad.count)),
            ])
    }

    /// `dead_tensors`: no tensor of `min_dead_size` elements or more is all zeros or one value
    /// repeated, unless `allow_constant` names it: the mark of a layer a serializer dropped.
    static func deadTensors(_ analysis: ArtifactAnalysis, spec: RoundtripSpec) -> CheckResult {
        var dead: [String] = []
        var descriptions: [String] = []
        for (tensor, summary) in zip(analysis.file.tensors, analysis.summaries)
        where summary.count >= spec.minDeadSize && !spec.allowsConstant(tensor.name) {
            if summary.isAllZero {
                dead.append(tensor.name)
                descriptions.append("'\(tensor.name)' (\(tensor.layoutText)) is all zeros")
            } else if summary.isConstant {
                dead.append(tensor.name)
                let value = tensor.dtype.isReadable && tensor.count > 0 ? " \(tensor.valueText(at: 0))" : " value"
                descriptions.append("'\(tensor.name)' (\(tensor.layoutText)) holds the one\(value) everywhere")
            }
        }
        guard !dead.isEmpty else {
            let checked = analysis.summaries.filter { $0.count >= spec.minDeadSize }.count
            return .passed("\(checked) tensors of \(spec.minDeadSize)+ elements, none all-zero or constant", [("dead", .array([]))])
        }
        return .failed(
            descriptions.prefix(10).joined(separator: "; ") + (dead.count > 10 ? "; and \(dead.count - 10) more" : "")
                + " (list deliberate ones in allow_constant)",
            [("dead", .array(dead.map { .string($0) })), ("tensor", .string(dead[0]))])
    }
}
