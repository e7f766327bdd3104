import Foundation
import MLRunTensors

/// The artifact read once: its tensors and one summary per tensor (SHA-256, finiteness,
/// zero or constant), computed in one pass over its bytes.
struct ArtifactAnalysis: Sendable {
    var file: TensorFile
    var summaries: [TensorSummary]

    /// Reads and summarizes `file`, or says why it cannot be read (the file and the cause).
    static func read(_ file: RoundtripSpec.File) -> Result<ArtifactAnalysis, TensorFileError> {
        do {
            let tensorFile = try TensorFile.open(file.url, source: file.written)
            return .success(ArtifactAnalysis(file: tensorFile, summaries: TensorSummary.summaries(of: tensorFile.tensors)))
        } catch {
            return .failure(error)
        }
    }
}
