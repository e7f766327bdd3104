import Foundation
import MLRunTensors

// Usage: tensors-bench FILE — opens FILE (mapped), summarises every tensor on both cores, and
// prints one JSON line: tensor count, non-finite and all-zero tensors, and a digest of the hashes.
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ""
do {
    let buffer = try TensorBuffer(mapping: URL(fileURLWithPath: path), source: path)
    let file = try TensorFile.safetensors(in: buffer, source: path)
    let summaries = TensorSummary.summaries(of: file.tensors)
    let nonFinite = zip(file.tensors, summaries).filter { $0.1.firstNonFinite != nil }.map(\.0.name)
    let dead = zip(file.tensors, summaries).filter { $0.1.isAllZero || $0.1.isConstant }.map(\.0.name)
    let hashes = summaries.map(\.sha256).joined(separator: ",")
    print("{\"tensors\": \(file.tensors.count), \"nonFinite\": \(nonFinite), \"dead\": \(dead), \"hashes\": \"\(hashes.prefix(16))\"}")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
