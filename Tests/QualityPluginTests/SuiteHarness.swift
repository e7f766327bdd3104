import Foundation
import MLRunCore
import MLRunTestSupport
@testable import QualityPlugin

/// The harness bound to the `QualityPlugin`.
extension SuiteHarness {
    static func suites(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) throws -> [any Suite] {
        try suites(QualityPlugin(), configFile, updateBaselines: updateBaselines, seed: seed)
    }

    static func run(_ configFile: URL, updateBaselines: Bool = false, seed: UInt64 = 7) async throws -> Run {
        try await run(QualityPlugin(), configFile, updateBaselines: updateBaselines, seed: seed)
    }
}
