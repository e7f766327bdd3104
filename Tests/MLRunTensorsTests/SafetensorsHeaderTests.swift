import Foundation
import MLRunOracles
import Testing

@testable import MLRunTensors

@Suite struct SafetensorsHeaderTests {
    /// What mlrun does with each damaged (or oddly written) file of the committed table.
    @Test(arguments: SafetensorsFixtures.corruptCases)
    func eachCorruptionIsRejectedWithAMessageNamingIt(_ row: SafetensorsFixtures.CorruptCase) throws {
        let url = try SafetensorsFixtures.folder.appending(path: "corrupt/\(row.file)")
        do {
            let file = try TensorFile.open(url, source: row.file)
            #expect(row.mlrun == "accepts", "\(row.file) (\(row.problem)) was accepted with \(file.tensors.count) tensors")
        } catch {
            #expect(row.mlrun == "rejects", "\(row.file) (\(row.problem)) was rejected: \(error)")
            #expect(error.description.contains(row.message), "\(row.file): \(error)")
            #expect(error.description.hasPrefix("\(row.file): "))
        }
    }

    @Test func theTableCoversTheRequiredProblemsAndDocumentsEachDifference() {
        let rows = SafetensorsFixtures.corruptCases
        #expect(rows.filter { $0.reference == "rejects" }.count >= 12)
        // mlrun rejects everything the reference rejects.
        #expect(rows.filter { $0.reference == "rejects" && $0.mlrun != "rejects" }.isEmpty)
        // Where they differ, mlrun is the stricter, and only on these documented points.
        let differences = Set(rows.filter { $0.reference != $0.mlrun }.map(\.file))
        #expect(
            differences == [
                "duplicate_names.safetensors", "duplicate_metadata_key.safetensors", "entry_as_array.safetensors",
                "dtype_as_map.safetensors", "huge_empty_dimension.safetensors",
            ])
        #expect(rows.first { $0.file == "duplicate_names.safetensors" }?.reference == "accepts")
    }

    @Test func theReferenceStillDecidesAsTheTableSays() async throws {
        guard let python = try await SafetensorsFixtures.python() else { return }
        let folder = try SafetensorsFixtures.folder.appending(path: "corrupt")
        let files = SafetensorsFixtures.corruptCases.map { folder.appending(path: $0.file).path }
        let run = try await ExternalProgram.run(python, [SafetensorsFixtures.script.path, "--classify"] + files)
        try #require(run.status == 0, "\(run.output)")
        let verdicts = try JSONDecoder().decode([String: String].self, from: Data(run.stdout.utf8))
        for row in SafetensorsFixtures.corruptCases {
            #expect(verdicts[row.file] == row.reference, "\(row.file): safetensors \(verdicts[row.file] ?? "?"), table \(row.reference)")
        }
    }

    /// Errors name the tensor and the byte in the file.
    @Test(arguments: [
        ("overlapping_offsets.safetensors", "b", 8 + 105 + 1),
        ("byte_count_mismatch.safetensors", "a", 8 + 57 + 0),
        ("duplicate_names.safetensors", "a", 8 + 53),
    ])
    func errorsNameTheTensorAndTheByte(file: String, tensor: String, byte: Int) throws {
        let url = try SafetensorsFixtures.folder.appending(path: "corrupt/\(file)")
        do {
            _ = try TensorFile.open(url, source: file)
            Issue.record("\(file) was accepted")
        } catch {
            #expect(error.tensor == tensor, "\(error)")
            #expect(error.byteOffset == byte, "\(error)")
        }
    }

    @Test func anEntryOverTheLengthOfTheFileIsTruncationNotATrap() throws {
        let header = #"{"a":{"dtype":"U8","shape":[1152921504606846976],"data_offsets":[0,1152921504606846976]}}"#
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8)
        bytes += [1, 2]
        #expect(throws: TensorFileError.self) { try TensorFile.safetensors(in: TensorBuffer(copying: bytes), source: "x") }
        do {
            _ = try TensorFile.safetensors(in: TensorBuffer(copying: bytes), source: "x")
        } catch {
            #expect(error.message.contains("truncated"), "\(error)")
        }
    }

    /// JSON the reference reads, and JSON it does not, beyond the table.
    @Test(arguments: [
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":[1E+2,-0.5e-3,123456789012345678901234567890]}}"#, true),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":1.}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":.5}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":+1}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":-01}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":tru}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":1.8e308}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":"\udc00"}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[-0, 2],"data_offsets":[0,2]}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2E0],"data_offsets":[0,2]}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[18446744073709551616,0],"data_offsets":[0,2]}}"#, false),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"# + "\u{0C}", false),
        ("\u{FEFF}" + #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, false),
        (#"{"a":{"\u0064type":"\u0055\u0038","shape":[2],"data_offsets":[0,2]}}"#, true),
        (#"{"a\u007f":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, true),
        (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"__metadata\u005f_":{"k":"v"}}"#, true),
        ("null", false),
        ("   ", false),
    ])
    func headerJSON(_ header: String, accepted: Bool) {
        let data: [UInt8] = [1, 2]
        let bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + data
        let result = Result { () throws(TensorFileError) in try TensorFile.safetensors(in: TensorBuffer(copying: bytes), source: "h") }
        switch result {
        case .success: #expect(accepted, "accepted \(header)")
        case .failure(let error): #expect(!accepted, "rejected \(header): \(error)")
        }
    }

    @Test func utf8IsCheckedAsRustChecksIt() {
        let valid: [[UInt8]] = [
            [0x61], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        let invalid: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0x80], [0xC3], [0xE2, 0x82], [0xFF],
        ]
        for bytes in valid { #expect(bytes.withUnsafeBufferPointer { SafetensorsHeader.firstInvalidUTF8($0) } == nil, "\(bytes)") }
        for bytes in invalid { #expect(bytes.withUnsafeBufferPointer { SafetensorsHeader.firstInvalidUTF8($0) } == 0, "\(bytes)") }
        for bytes in invalid { #expect(String(validating: bytes, as: UTF8.self) == nil, "Swift agrees: \(bytes)") }
    }
}
