import Foundation
import MLRunCore

extension Session {
    /// `--markers`: every known marker with its description.
    static func printMarkers(_ registry: MarkerRegistry) {
        var text = ""
        for marker in registry.markers {
            text += "@\(marker.name): \(marker.description)\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
