import MLRunCore
import MLRunTensors

/// A test's verdict with the values it records.
struct CheckResult: Sendable {
    var verdict: TestVerdict
    var values: [(String, JSONValue)] = []

    static func passed(_ message: String = "", _ values: [(String, JSONValue)] = []) -> CheckResult {
        CheckResult(verdict: TestVerdict(.passed, message), values: values)
    }

    static func failed(_ message: String, _ values: [(String, JSONValue)] = []) -> CheckResult {
        CheckResult(verdict: .failed(message), values: values)
    }

    static func error(_ message: String) -> CheckResult { CheckResult(verdict: .error(message)) }

    /// The values every comparison records: `max_abs_diff`, `max_rel_diff`, `mismatched`, and
    /// the tensor and worst index where one is to blame.
    static func differenceValues(_ difference: TensorDifference?, tensor: Tensor?, mismatched: Int) -> [(String, JSONValue)] {
        var values: [(String, JSONValue)] = [
            ("max_abs_diff", .double(difference?.maxAbsDiff ?? 0)),
            ("max_rel_diff", .double(difference?.maxRelDiff ?? 0)),
            ("mismatched", .int(mismatched)),
        ]
        if let tensor { values.append(("tensor", .string(tensor.name))) }
        if let tensor, let index = difference?.worstIndex ?? difference?.firstMismatch {
            values.append(("index", .array(tensor.multiIndex(of: index).map { .int($0) })))
        }
        return values
    }
}

extension Tensor {
    /// `[1, 2]` (a flat index written as the multi-index), for messages.
    func indexText(_ flatIndex: Int) -> String {
        "[" + multiIndex(of: flatIndex).map(String.init).joined(separator: ", ") + "]"
    }

    /// The element at `flatIndex` for messages (`0.25`, `nan`), or `other bits` for a dtype
    /// whose values mlrun does not read.
    func valueText(at flatIndex: Int) -> String {
        double(at: flatIndex).map { "\($0)" } ?? "other bits"
    }

    /// `F32 [2, 3]`.
    var layoutText: String { "\(dtype) [" + shape.map(String.init).joined(separator: ", ") + "]" }
}
