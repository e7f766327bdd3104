// swift-tools-version: 6.2
// Times mlrun's safetensors check (parse + finite + dead + SHA-256) on the file
// scripts/bench/safetensors.py generates. Not part of mlrun itself.
//
// As ../MetricsBench does, Sources/MLRunTensors and Sources/JSONText hold symbolic links to the
// checkout's files (only those the safetensors reader and TensorSummary need; not the .npy/.npz
// reader, so MLRunData is not built), compiled here in release as this package's own targets.
import PackageDescription

let package = Package(
    name: "TensorsBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-crypto", from: "3.12.3")],
    targets: [
        .target(name: "JSONText"),
        .target(name: "MLRunTensors", dependencies: ["JSONText", .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(name: "tensors-bench", dependencies: ["MLRunTensors"]),
    ],
    swiftLanguageModes: [.v6]
)
