import Foundation
import MLRunCore
import MLRunTensors

extension ArtifactChecks {
    /// `pickle_scan`: every global a pickle-based artifact imports is inside PyTorch's
    /// weights_only allowlist. The file is scanned opcode by opcode and never unpickled.
    ///
    /// Fails listing each global outside the allowlist with its opcode's offset; an artifact
    /// that cannot be scanned (compressed, not a pickle, a deflated member) is an error, since
    /// nothing can be said of what it would import.
    static func pickleScan(_ file: RoundtripSpec.File) -> CheckResult {
        let scan: PickleFileScan
        do {
            scan = try PickleFileScan(contentsOf: file.url, source: file.written)
        } catch {
            return .error("cannot scan: \(error.description)")
        }
        let globals = scan.parts.flatMap { $0.scan.globals }
        let imported = Set(globals.map(\.description)).sorted()
        let violations = scan.violations
        guard let first = violations.first else {
            return .passed(
                "\(scan.parts.count) pickle\(scan.parts.count == 1 ? "" : "s"), \(imported.count) distinct globals, all in PyTorch's weights_only allowlist",
                [("globals", .array(imported.map { .string($0) })), ("violations", .array([]))])
        }
        let more = violations.count > 1 ? "\n" + violations.dropFirst().prefix(20).map(\.description).joined(separator: "\n") : ""
        let beyond = violations.count > 21 ? "\n… and \(violations.count - 21) more" : ""
        return .failed(
            "\(violations.count) import\(violations.count == 1 ? "" : "s") outside PyTorch's weights_only allowlist "
                + "(the file was scanned, never unpickled): \(first.description)\(more)\(beyond)",
            [
                ("globals", .array(imported.map { .string($0) })),
                ("violations", .array(violations.map { .string($0.description) })),
            ])
    }
}
