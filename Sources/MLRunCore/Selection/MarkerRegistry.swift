/// The markers a run knows: the built-ins and those declared in `[runner.markers]`.
package struct MarkerRegistry: Sendable {
    /// The built-in markers (SPEC §4) with their descriptions.
    package static let builtIns: [(name: String, description: String)] = [
        ("unit", "a fast, isolated unit test"),
        ("data", "validates a data set"),
        ("integration", "exercises several components together"),
        ("quality", "a model-quality gate"),
        ("model", "checks a model's files or drives a model program ([[roundtrip]])"),
        ("property", "a property-based test"),
        ("slow", "takes long; deselect with -m \"not slow\""),
        ("gpu", "needs a CUDA device; skipped when none is found"),
        ("serial", "never runs at the same time as another serial test under -n"),
    ]

    package private(set) var markers: [(name: String, description: String)]

    package init(declared: [(name: String, description: String)]) {
        markers = MarkerRegistry.builtIns
        for marker in declared {
            if let index = markers.firstIndex(where: { $0.name == marker.name }) {
                markers[index].description = marker.description
            } else {
                markers.append(marker)
            }
        }
    }

    package func isDeclared(_ name: String) -> Bool { markers.contains { $0.name == name } }
}
