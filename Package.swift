// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "mlrun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mlrun", targets: ["mlrun"]),
        // What a third party links to build its own `mlrun` with extra plugins.
        .library(name: "MLRunKit", targets: ["MLRunKit"]),
        // A conformance checker for third-party suite plugins.
        .library(name: "MLRunTestSupport", targets: ["MLRunTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // The -m / -k expression language; knows nothing of tests or runners.
        .target(name: "MarkerExpression"),
        // JSON string literals and their escapes, for MLRunCore's JSON parser and MLRunData's
        // JSON Lines reader. No dependencies.
        .target(name: "JSONText"),
        // Tests, suites, the plugin protocol, config, selection and the plan.
        .target(
            name: "MLRunCore",
            dependencies: ["MarkerExpression", "JSONText", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Suite protocol v1 and model protocol v1 over processes: sessions that survive crashes, hangs and garbage.
        .target(
            name: "MLRunProtocol",
            dependencies: [
                "MLRunCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libgit2 (Debian's libgit2-dev) as a Swift module.
        .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        // Reads a repository through libgit2: revisions, merge bases, changed paths. Never runs `git`.
        .target(name: "MLRunGit", dependencies: ["CLibGit2"]),
        // Executes a plan (in-process or over -n worker processes) and emits events.
        .target(name: "MLRunRunner", dependencies: ["MLRunCore", "MLRunProtocol"]),
        // Console, JSON, JUnit and event-stream consumers of run events.
        .target(name: "MLRunReporters", dependencies: ["MLRunCore"]),
        // Built-in plugin: the language-neutral suite protocol v1 (`[[command]]`).
        .target(
            name: "CommandPlugin",
            dependencies: [
                "MLRunCore", "MLRunProtocol",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Plugins/Command"
        ),
        // The [[pytest]] plugin: existing pytest suites through the embedded bridge
        // (python/mlrun_pytest.py), run as [[command]] suites are.
        .target(name: "PytestPlugin", dependencies: ["MLRunCore", "MLRunProtocol", "CommandPlugin"], path: "Plugins/Pytest"),
        // Data files as streams of column batches: CSV, JSON Lines, NumPy .npy/.npz; exact number
        // and ISO 8601 parsing. Knows nothing of tests.
        .target(
            name: "MLRunData",
            dependencies: ["JSONText", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Model and weight files as named tensors, mapped without a copy: safetensors (strict, and
        // a writer), .npy/.npz through MLRunData, ONNX initializers, and a static scan of
        // pickle-based checkpoints that never unpickles. Knows nothing of tests.
        .target(
            name: "MLRunTensors",
            dependencies: ["MLRunData", "JSONText", "ONNXSchema", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // ONNX's model format (onnx.proto) as swift-protobuf messages: generated code only, made by
        // scripts/gen/onnx_proto.sh.
        .target(name: "ONNXSchema", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // What the metrics, the statistics and the paired tests share: a value or why it is
        // undefined (`Computed`), the radix sort of doubles. No dependencies.
        .target(name: "MLRunNumerics"),
        // Model-quality metrics equal to scikit-learn's / fairlearn's, and paired tests
        // (DeLong, McNemar) and bootstrap intervals. Usable from any suite.
        .target(name: "MLRunMetrics", dependencies: ["MLRunNumerics"]),
        // Two-sample drift statistics equal to SciPy's (KS, chi-square, PSI, Jensen–Shannon,
        // Wasserstein, z-score), their special functions and multiple-testing corrections.
        .target(name: "MLRunStats", dependencies: ["MLRunNumerics"]),
        // Built-in plugin: data drift between a reference and a current data set (`[[drift]]`),
        // and the reference snapshots of `mlrun snapshot`.
        .target(
            name: "DriftPlugin",
            dependencies: ["MLRunCore", "MLRunData", "MLRunStats", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Drift"
        ),
        // Built-in plugin: model files and the save/load round trip through the model protocol
        // (`[[roundtrip]]`).
        .target(
            name: "RoundtripPlugin",
            dependencies: ["MLRunCore", "MLRunData", "MLRunTensors", "MLRunProtocol", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Roundtrip"
        ),
        // Built-in plugin: declarative data validation (`[[data]]`).
        .target(name: "DataPlugin", dependencies: ["MLRunCore", "MLRunData"], path: "Plugins/Data"),
        // Built-in plugin: model-quality gates, segments, fairness and baselines (`[[quality]]`).
        .target(
            name: "QualityPlugin",
            dependencies: ["MLRunCore", "MLRunData", "MLRunMetrics", "MLRunGit", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Quality"
        ),
        // The command line and `MLRun.main(plugins:)`.
        .target(
            name: "MLRunKit",
            dependencies: [
                "MLRunCore", "MLRunRunner", "MLRunReporters", "MLRunGit",
                "CommandPlugin", "DataPlugin", "QualityPlugin", "DriftPlugin", "RoundtripPlugin", "PytestPlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "mlrun", dependencies: ["MLRunKit"]),
        // For plugin authors' tests: PluginVerifier, SuiteHarness and ScriptedSuite.
        .target(name: "MLRunTestSupport", dependencies: ["MLRunCore"]),
        // mlrun's own test helpers, not a product: Python oracles, and helper programs (oracles,
        // git) run without pipes and off the cooperative pool. Only test targets depend on it.
        .target(name: "MLRunOracles", dependencies: ["MLRunCore"], path: "Tests/Support/MLRunOracles"),
        // A third-party-style mlrun with a test-only in-process plugin, for end-to-end tests.
        .executableTarget(name: "mlrun-fixture", dependencies: ["MLRunKit"], path: "Tests/FixturePlugin"),

        .testTarget(name: "MarkerExpressionTests", dependencies: ["MarkerExpression"]),
        .testTarget(name: "JSONTextTests", dependencies: ["JSONText"]),
        .testTarget(name: "MLRunCoreTests", dependencies: ["MLRunCore", "MLRunTestSupport"]),
        .testTarget(name: "MLRunReportersTests", dependencies: ["MLRunReporters", "MLRunCore", "MLRunTestSupport"]),
        .testTarget(name: "MLRunProtocolTests", dependencies: ["MLRunProtocol", "MLRunCore"]),
        .testTarget(name: "MLRunKitTests", dependencies: ["MLRunKit", "MLRunCore"]),
        .testTarget(name: "MLRunRunnerTests", dependencies: ["MLRunRunner", "MLRunCore", "MLRunTestSupport"]),
        .testTarget(name: "CommandPluginTests", dependencies: ["CommandPlugin", "MLRunCore", "MLRunTestSupport"]),
        .testTarget(name: "MLRunTestSupportTests", dependencies: ["MLRunTestSupport", "MLRunCore"]),
        .testTarget(name: "MLRunGitTests", dependencies: ["MLRunGit", "MLRunOracles"]),
        .testTarget(name: "MLRunDataTests", dependencies: ["MLRunData"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MLRunTensorsTests", dependencies: ["MLRunTensors", "MLRunOracles"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MLRunNumericsTests", dependencies: ["MLRunNumerics"]),
        .testTarget(name: "MLRunMetricsTests", dependencies: ["MLRunMetrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MLRunStatsTests", dependencies: ["MLRunStats", "MLRunOracles"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DataPluginTests", dependencies: ["DataPlugin", "MLRunCore", "MLRunData", "MLRunTestSupport"]),
        .testTarget(
            name: "QualityPluginTests", dependencies: ["QualityPlugin", "MLRunCore", "MLRunMetrics", "MLRunTestSupport", "MLRunOracles"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "RoundtripPluginTests",
            dependencies: [
                "RoundtripPlugin", "MLRunCore", "MLRunTensors", "MLRunProtocol", "MLRunTestSupport", "MLRunOracles", "ONNXSchema",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DriftPluginTests", dependencies: ["DriftPlugin", "MLRunCore", "MLRunStats", "MLRunTestSupport", "MLRunOracles"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "MLRunCore", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
