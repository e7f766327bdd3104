import Foundation
import MLRunOracles
import Testing

@testable import MLRunTensors

@Suite struct SafetensorsReadingTests {
    @Test func filesWrittenByTheReferenceReadBackAsNumPyReadsThem() throws {
        try SafetensorsFixtures.check(try SafetensorsFixtures.folder)
    }

    @Test func freshFilesReadBackWhenTheReferenceIsInstalled() async throws {
        guard let python = try await SafetensorsFixtures.python() else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-safetensors-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let seed = UInt32.random(in: 1...UInt32.max)
        let made = try await ExternalProgram.run(python, [SafetensorsFixtures.script.path, "--out", out.path, "--seed", String(seed)])
        try #require(made.status == 0, "the generator failed (seed \(seed)): \(made.output)")
        try SafetensorsFixtures.check(out)
    }

    @Test func tensorsPointIntoTheMappedFileInOffsetOrder() throws {
        let url = try SafetensorsFixtures.folder.appending(path: "shapes.safetensors")
        let file = try TensorFile.open(url, source: "shapes.safetensors")
        #expect(file.metadata == ["format": "np"])
        let ranges = file.tensors.map(\.byteRange)
        for (left, right) in zip(ranges, ranges.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
        #expect(ranges.last?.upperBound == file.tensors.first?.buffer.bytes.count)
        let scalar = try #require(file.tensor(named: "scalar"))
        #expect(scalar.shape == [])
        #expect(scalar.count == 1)
        #expect(scalar.double(at: 0) == 2.5)
        #expect(scalar.double(at: 1) == nil)
        let empty = try #require(file.tensor(named: "empty"))
        #expect(empty.shape == [0, 3])
        #expect(empty.count == 0)
        #expect(empty.double(at: 0) == nil)
    }

    @Test func anEmptyFileIsTooShort() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-empty-\(UUID().uuidString).safetensors")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(
            throws: TensorFileError(
                source: "e.safetensors", message: "too short for a safetensors file: 0 bytes, and the header length alone takes 8")
        ) {
            try TensorFile.open(url, source: "e.safetensors")
        }
    }
}
