import Foundation

/// The tensors of one model or weights file, whatever its format.
///
/// ``open(_:source:)`` picks the reader by the file's extension: `.safetensors`, `.npy`, `.npz`,
/// `.onnx`, or a pickle-based one (`.pt`, `.pth`, `.ckpt`, `.bin`, `.pkl`, `.joblib`), which is
/// never unpickled: its globals are listed by a static scan (``PickleScan``), and its tensors
/// read only where the scan finds PyTorch's layout.
package struct TensorFile: Sendable {
    /// The kinds of file read.
    package enum Format: String, Sendable, Equatable {
        case safetensors, npy, npz, onnx, pickle
    }

    /// The file as the user wrote it.
    package let source: String
    package let format: Format
    /// The tensors in file order (safetensors: by offset; ONNX: the initializers in graph order).
    package let tensors: [Tensor]
    /// String metadata (safetensors' `__metadata__`; ONNX's `metadata_props`), empty if none.
    package let metadata: [String: String]

    package init(source: String, format: Format, tensors: [Tensor], metadata: [String: String] = [:]) {
        self.source = source
        self.format = format
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    package func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// The format for a file name's extension, or `nil` when mlrun reads no such files.
    package static func format(ofPath path: String) -> Format? {
        switch (path as NSString).pathExtension.lowercased() {
        case "safetensors": .safetensors
        case "npy": .npy
        case "npz": .npz
        case "onnx": .onnx
        case "pt", "pth", "ckpt", "bin", "pkl", "pickle", "joblib": .pickle
        default: nil
        }
    }
}
