import Foundation

extension TensorFile {
    /// Reads the file at `url` with the reader its extension names; errors name it `source`.
    ///
    /// Throws ``TensorFileError`` for a file that cannot be read, breaks its format's rules, or
    /// has an extension mlrun does not read.
    package static func open(_ url: URL, source: String) throws(TensorFileError) -> TensorFile {
        guard let format = format(ofPath: url.path) else {
            throw TensorFileError(
                source: source,
                message: "unknown model file type '.\(url.pathExtension)'; mlrun reads .safetensors, .npy, .npz, .onnx "
                    + "and pickle-based .pt, .pth, .ckpt, .bin, .pkl, .joblib files")
        }
        switch format {
        case .npy: return try readNumPy(url, source: source)
        case .npz: return try readNumPyArchive(url, source: source)
        case .safetensors: return try readSafetensors(url, source: source)
        case .onnx: return try ONNXModel(contentsOf: url, source: source).tensorFile
        case .pickle: return try readPickle(url, source: source)
        }
    }
}
