import Foundation

extension TensorFile {
    /// The tensors of a pickle-based file, after its static scan passes PyTorch's weights_only
    /// allowlist: the first global outside it (or unresolvable import) is thrown. Tensors are
    /// read from PyTorch's zip format only (``TorchCheckpoint``).
    static func readPickle(_ url: URL, source: String) throws(TensorFileError) -> TensorFile {
        let scan = try PickleFileScan(contentsOf: url, source: source)
        if let violation = scan.violations.first { throw violation }
        return TensorFile(source: source, format: .pickle, tensors: try TorchCheckpoint(scan).tensors)
    }
}
