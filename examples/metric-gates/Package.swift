// swift-tools-version: 6.2
// A third-party mlrun plugin, built the way any team would build one: depend on MLRunKit,
// implement `SuitePlugin`, and ship an `mlrun` of your own with `MLRun.main(plugins:)`.
import PackageDescription

let package = Package(
    name: "metric-gates",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mlrun-gates", targets: ["mlrun-gates"]),
        .library(name: "MetricGates", targets: ["MetricGates"]),
    ],
    dependencies: [
        .package(name: "mlrun", path: "../..")
    ],
    targets: [
        .target(name: "MetricGates", dependencies: [.product(name: "MLRunKit", package: "mlrun")]),
        .executableTarget(name: "mlrun-gates", dependencies: ["MetricGates", .product(name: "MLRunKit", package: "mlrun")]),
        .testTarget(name: "MetricGatesTests", dependencies: ["MetricGates", .product(name: "MLRunTestSupport", package: "mlrun")]),
    ],
    swiftLanguageModes: [.v6]
)
