// swift-tools-version: 6.2
// Times mlrun's metrics on the file scripts/bench/metrics.py generates. Not part of mlrun itself.
//
// mlrun's Package.swift exports no `MLRunMetrics` product, so a package depending on the
// checkout by path (as ../SwiftBench does with MLRunKit) cannot import it. Instead
// Sources/MLRunMetrics is a symbolic link to the checkout's Sources/MLRunMetrics (and
// Sources/MLRunNumerics, its dependency, to Sources/MLRunNumerics), compiled here as this
// package's own targets: the same files, built in release with this package's scratch path. Once mlrun exports the library, this can become `.package(path: "../../..")`.
import PackageDescription

let package = Package(
    name: "MetricsBench",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "MLRunNumerics"),
        .target(name: "MLRunMetrics", dependencies: ["MLRunNumerics"]),
        .executableTarget(name: "metrics-bench", dependencies: ["MLRunMetrics"]),
    ],
    swiftLanguageModes: [.v6]
)
