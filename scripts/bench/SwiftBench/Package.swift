// swift-tools-version: 6.2
// A third-party build of mlrun with one extra in-process plugin, `[[noop]]`, used by
// scripts/bench/run.py to measure mlrun's per-test overhead. Not part of mlrun itself.
import Foundation
import PackageDescription

// The mlrun checkout is three folders up (scripts/bench/SwiftBench → repository root). A path
// dependency's identity is its folder's name, which depends on where the repository was
// cloned, so it is computed here rather than spelled out.
let mlrunRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // SwiftBench
    .deletingLastPathComponent()  // bench
    .deletingLastPathComponent()  // scripts
    .deletingLastPathComponent()  // the repository root
let mlrunIdentity = mlrunRoot.lastPathComponent.lowercased()

let package = Package(
    name: "SwiftBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "mlrun-bench",
            dependencies: [.product(name: "MLRunKit", package: mlrunIdentity)]
        ),
    ],
    swiftLanguageModes: [.v6]
)
