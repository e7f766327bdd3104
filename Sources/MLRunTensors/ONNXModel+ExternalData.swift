import Foundation
import ONNXSchema

#if canImport(Glibc)
import Glibc
#endif

extension ONNXModel.InitializerReader {
    /// The mapped file and byte range of an initializer stored outside the model
    /// (`data_location = EXTERNAL`), as its `external_data` entries place it.
    ///
    /// `location` is a path relative to the model's folder and must stay inside it: absolute
    /// paths, `..` components, and paths whose real path (symlinks resolved) lies outside the
    /// folder are errors. `offset` defaults to 0 and `length` to the rest of the file; either
    /// running past the file's end is an error. The `checksum` entry (a SHA-1) is not verified.
    mutating func externalData(_ proto: Onnx_TensorProto, byteCount: Int) throws(TensorFileError) -> (TensorBuffer, Range<Int>) {
        let name = proto.name
        var entries: [String: String] = [:]
        for entry in proto.externalData { entries[entry.key] = entry.value }
        guard let location = entries["location"], !location.isEmpty else {
            throw TensorFileError(source: source, tensor: name, message: "external data without a location")
        }
        let path = try resolve(location, tensor: name)
        let buffer: TensorBuffer
        if let known = mapped[path] {
            buffer = known
        } else {
            buffer = try TensorBuffer(mapping: URL(fileURLWithPath: path), source: "\(source) external data '\(location)'")
            mapped[path] = buffer
        }
        let size = buffer.bytes.count
        let offset = try integer(entries["offset"], key: "offset", tensor: name) ?? 0
        guard offset <= size else {
            throw TensorFileError(
                source: source, tensor: name, message: "external data offset \(offset) is past the end of '\(location)' (\(size) bytes)")
        }
        let length = try integer(entries["length"], key: "length", tensor: name) ?? (size - offset)
        guard length <= size - offset else {
            throw TensorFileError(
                source: source, tensor: name,
                message: "external data of \(length) bytes at offset \(offset) runs past the end of '\(location)' (\(size) bytes)")
        }
        guard length == byteCount else {
            throw TensorFileError(
                source: source, tensor: name,
                message: "external data holds \(length) bytes; dims \(proto.dims) of \(ONNXModel.elementTypeName(proto.dataType)) need \(byteCount)")
        }
        return (buffer, offset..<offset + length)
    }

    /// The real path of `location` within the model's folder, or an error naming the tensor
    /// and the path when it is absolute, has a `..` component, or resolves outside the folder.
    private func resolve(_ location: String, tensor: String) throws(TensorFileError) -> String {
        func escape(_ why: String) -> TensorFileError {
            TensorFileError(source: source, tensor: tensor, message: "external data location '\(location)' \(why)")
        }
        guard !location.hasPrefix("/") else { throw escape("is an absolute path; it must be relative to the model's folder") }
        let components = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.contains("..") else { throw escape("has a '..' component; it must stay inside the model's folder") }
        guard let folder = realPath(folder.path) else {
            throw TensorFileError(source: source, message: "cannot resolve the model's folder '\(self.folder.path)'")
        }
        guard let target = realPath(folder + "/" + location) else {
            throw escape("names no readable file in the model's folder")
        }
        guard target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw escape("resolves to '\(target)', outside the model's folder")
        }
        return target
    }

    /// `path` with symlinks, `.` and `..` resolved, or `nil` when it does not exist.
    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The non-negative decimal integer of an `external_data` entry, if present.
    private func integer(_ text: String?, key: String, tensor: String) throws(TensorFileError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw TensorFileError(source: source, tensor: tensor, message: "external data \(key) '\(text)' is not a non-negative integer")
        }
        return value
    }
}
