import Foundation
import MLRunCore
import MLRunTestSupport
@testable import DriftPlugin

/// The harness bound to the `DriftPlugin`.
extension SuiteHarness {
    static func suites(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) throws -> [any Suite] {
        try suites(DriftPlugin(), configFile, updateBaselines: updateBaselines, seed: seed)
    }

    static func run(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) async throws -> Run {
        try await run(DriftPlugin(), configFile, updateBaselines: updateBaselines, seed: seed)
    }
}
