import Foundation
import MLRunOracles
import Testing

@testable import MLRunTensors

/// The committed safetensors fixtures (written by scripts/fixtures/make_safetensors_fixtures.py)
/// and what numpy, ml_dtypes and hashlib say about them.
enum SafetensorsFixtures {
    /// One tensor as expected.json describes it.
    struct ExpectedTensor: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let count: Int
        /// Each element as the hex bits of numpy's float64(x); nil for F4 and C64.
        let values: [String]?
        let sha256: String
        let firstNonFinite: Int?
        let allZero: Bool
        let constant: Bool
    }

    /// One valid file as expected.json describes it.
    struct ExpectedFile: Decodable {
        let metadata: [String: String]?
        let tensors: [ExpectedTensor]
    }

    /// A row of corrupt/table.json.
    struct CorruptCase: Decodable, CustomTestStringConvertible {
        let file: String
        let problem: String
        /// "accepts" or "rejects": what `safetensors.safe_open` does with the file.
        let reference: String
        let mlrun: String
        /// A piece of mlrun's message.
        let message: String

        var testDescription: String { file }
    }

    static var folder: URL {
        get throws {
            try #require(Bundle.module.resourceURL).appending(path: "Fixtures/safetensors")
        }
    }

    static func expected(in folder: URL) throws -> [String: ExpectedFile] {
        try JSONDecoder().decode([String: ExpectedFile].self, from: Data(contentsOf: folder.appending(path: "expected.json")))
    }

    static let corruptCases: [CorruptCase] = {
        guard let url = Bundle.module.resourceURL?.appending(path: "Fixtures/safetensors/corrupt/table.json"),
            let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode([CorruptCase].self, from: data)
        else { return [] }
        return cases
    }()

    /// The generator script in the checkout.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/fixtures/make_safetensors_fixtures.py").standardizedFileURL

    /// A Python that imports the reference package, numpy and ml_dtypes; nil (skip) when none
    /// does, unless MLRUN_REQUIRE_SAFETENSORS is set.
    static func python() async throws -> String? {
        try await PythonOracle.interpreter(
            importing: ["safetensors", "numpy", "ml_dtypes"], requiredBy: "MLRUN_REQUIRE_SAFETENSORS",
            extraCandidates: [
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.venv/bin/python").standardizedFileURL.path
            ])
    }

    /// Checks every file of `folder` against its expected.json: values, metadata, order, summary.
    static func check(_ folder: URL) throws {
        let expected = try expected(in: folder)
        #expect(expected.count >= 4)
        for (name, file) in expected.sorted(by: { $0.key < $1.key }) {
            let read = try TensorFile.open(folder.appending(path: name), source: name)
            #expect(read.format == .safetensors)
            #expect(read.metadata == (file.metadata ?? [:]), "\(name)")
            #expect(read.tensors.map(\.name) == file.tensors.map(\.name), "\(name): offset order")
            let summaries = TensorSummary.summaries(of: read.tensors)
            for (tensor, (want, summary)) in zip(read.tensors, zip(file.tensors, summaries)) {
                let label = "\(name) '\(tensor.name)'"
                #expect(tensor.dtype.rawValue == want.dtype, "\(label)")
                #expect(tensor.shape == want.shape, "\(label)")
                #expect(tensor.count == want.count, "\(label)")
                if let values = want.values {
                    for (index, hex) in values.enumerated() {
                        let reference = Double(bitPattern: UInt64(hex, radix: 16) ?? 0)
                        let mine = tensor.double(at: index)
                        let agrees = mine.map { $0.bitPattern == reference.bitPattern || ($0.isNaN && reference.isNaN) } ?? false
                        #expect(agrees, "\(label)[\(index)]: mlrun \(String(describing: mine)), numpy \(reference)")
                    }
                } else {
                    #expect(tensor.double(at: 0) == nil, "\(label): not readable")
                }
                #expect(summary.sha256 == want.sha256, "\(label)")
                #expect(summary.firstNonFinite == want.firstNonFinite, "\(label)")
                #expect(summary.isAllZero == want.allZero, "\(label)")
                #expect(summary.isConstant == want.constant, "\(label)")
                #expect(summary.count == want.count, "\(label)")
            }
        }
    }
}
