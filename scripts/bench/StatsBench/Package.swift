// swift-tools-version: 6.2
// Times mlrun's two-sample KS on the file scripts/bench/drift_stats.py generates. Not part of mlrun.
//
// As ../MetricsBench: mlrun exports no `MLRunStats` product, so Sources/MLRunStats is a symbolic
// link to the checkout's Sources/MLRunStats (and Sources/MLRunNumerics, its dependency, to
// Sources/MLRunNumerics), compiled here as this package's own targets (the same files, built
// in release with this package's scratch path).
import PackageDescription

let package = Package(
    name: "StatsBench",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "MLRunNumerics"),
        .target(name: "MLRunStats", dependencies: ["MLRunNumerics"]),
        .executableTarget(name: "stats-bench", dependencies: ["MLRunStats"]),
    ],
    swiftLanguageModes: [.v6]
)
