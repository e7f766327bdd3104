import Foundation
import Testing

@testable import MLRunTensors

/// The pickles `scripts/fixtures/make_pickle_fixtures.py` wrote, and the globals each imports
/// with their opcodes' offsets as `pickletools.genops` reads them (`expected.json`).
enum PickleFixtures {
    static let folder: URL =
        Bundle.module.resourceURL?
        .appending(path: "Fixtures/pickle", directoryHint: .isDirectory) ?? URL(fileURLWithPath: "/nonexistent")
    /// The file the planted payloads would create if unpickled.
    static let pwned = "/tmp/mlrun-pickle-fixture-pwned"

    struct ExpectedGlobal: Decodable, Equatable {
        var global: String
        var offset: Int
        var opcode: String
    }

    /// Per file, per member (`""` for the file itself), the globals.
    static func expected() throws -> [String: [String: [ExpectedGlobal]]] {
        try JSONDecoder().decode([String: [String: [ExpectedGlobal]]].self, from: Data(contentsOf: folder.appending(path: "expected.json")))
    }

    static func scan(_ name: String) throws(TensorFileError) -> PickleFileScan {
        try PickleFileScan(contentsOf: folder.appending(path: name), source: name)
    }

    /// Scans bytes held in memory as one pickle.
    static func scan(bytes: [UInt8]) throws(TensorFileError) -> PickleScan {
        let buffer = TensorBuffer(copying: bytes)
        return try PickleScan(buffer.bytes, source: "inline.pkl")
    }
}

@Suite struct PickleScanTests {
    @Test func everyGlobalIsFoundAtTheOffsetPickletoolsGives() throws {
        for (file, members) in try PickleFixtures.expected() {
            let scan = try PickleFixtures.scan(file)
            #expect(scan.parts.count >= members.count, "\(file)")
            var found: [String: [PickleFixtures.ExpectedGlobal]] = [:]
            for part in scan.parts {
                let member = part.source == file ? "" : String(part.source.dropFirst("\(file) member '".count).dropLast())
                found[member, default: []] += part.scan.globals.map { .init(global: $0.description, offset: $0.offset, opcode: $0.opcode) }
            }
            #expect(found == members, "\(file)")
        }
    }

    @Test(arguments: ["state_dict.pt", "state_dict_protocol4.pt", "checkpoint.ckpt", "memoized_strings.pkl", "non_contiguous.pt"])
    func aCheckpointOfTensorsPasses(file: String) throws {
        #expect(try PickleFixtures.scan(file).violations.isEmpty)
    }

    @Test(arguments: [
        ("os_system.pt", "os_system.pt member 'archive/data.pkl': at byte 190: global 'os.system' is outside PyTorch's weights_only allowlist"),
        ("subprocess_popen.pth", "subprocess_popen.pth member 'archive/data.pkl': at byte 358: global 'subprocess.Popen' is outside"),
        ("builtins_eval.pkl", "builtins_eval.pkl: at byte 10: global 'builtins.eval' is outside"),
        ("builtins_open.pickle", "builtins_open.pickle: at byte 39: global 'builtins.open' is outside"),
        ("legacy.pt", "legacy.pt: at byte 78: global 'os.system' is outside"),
    ])
    func aDangerousGlobalFailsTheCheckAndRunsNothing(file: String, message: String) throws {
        try? FileManager.default.removeItem(atPath: PickleFixtures.pwned)
        let violations = try PickleFixtures.scan(file).violations
        #expect(violations.count == 1)
        #expect(violations.first?.description.hasPrefix(message) == true, "\(violations)")
        let opened = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try TensorFile.open(PickleFixtures.folder.appending(path: file), source: file)
        }
        #expect(opened?.hasPrefix(message) == true, "\(opened ?? "no error")")
        #expect(!FileManager.default.fileExists(atPath: PickleFixtures.pwned), "the scan must never unpickle")
    }

    @Test func theLegacyFormatScansAllFivePickles() throws {
        let scan = try PickleFixtures.scan("legacy.pt")
        #expect(scan.parts.count == 5)
        #expect(scan.parts.last?.scan.end == 157)
    }

    @Test func aStackGlobalOfNonConstantOperandsIsAFinding() throws {
        // PROTO 4, EMPTY_LIST, SHORT_BINUNICODE 'system', STACK_GLOBAL, STOP.
        let bytes: [UInt8] = [0x80, 0x04, 0x5D, 0x8C, 0x06] + Array("system".utf8) + [0x93, 0x2E]
        let scan = try PickleFixtures.scan(bytes: bytes)
        #expect(scan.globals.isEmpty)
        #expect(scan.unresolvedGlobals == [11])
        #expect(
            PickleAllowlist.violations(in: scan, source: "x.pkl").map(\.description) == [
                "x.pkl: at byte 11: STACK_GLOBAL imports a global whose module or name is not a constant string"
            ])
    }

    @Test func extensionCodesAndDecoysAreFindings() throws {
        // PROTO 2, EXT1 7, STOP: a global from copyreg's extension registry.
        let scan = try PickleFixtures.scan(bytes: [0x80, 0x02, 0x82, 0x07, 0x2E])
        #expect(scan.extensions == [.init(code: 7, offset: 2)])
        #expect(PickleAllowlist.violations(in: scan, source: "x.pkl").count == 1)
        // A blocked module is refused even under an allowed-looking name; __builtin__ reads as builtins.
        #expect(!PickleAllowlist.allows(module: "os", name: "OrderedDict"))
        #expect(PickleAllowlist.allows(module: "__builtin__", name: "set"))
        #expect(!PickleAllowlist.allows(module: "builtins", name: "getattr"))
        #expect(PickleAllowlist.allows(module: "torch", name: "BFloat16Storage"))
    }

    @Test func truncatedAndMalformedPicklesAreErrorsNamingTheOffset() throws {
        let truncated = ONNXFixtures.message { () throws(TensorFileError) in
            _ = try PickleFileScan(contentsOf: PickleFixtures.folder.appending(path: "truncated.pkl"), source: "truncated.pkl")
        }
        #expect(truncated?.hasPrefix("truncated.pkl: at byte ") == true, "\(truncated ?? "no error")")
        #expect(truncated?.contains("truncated pickle") == true, "\(truncated ?? "no error")")

        let cases: [([UInt8], String)] = [
            ([], "inline.pkl: at byte 0: empty: no pickle opcodes"),
            ([0x80, 0x02, 0xFF], "inline.pkl: at byte 2: not a pickle opcode: 0xFF"),
            ([0x80, 0x09, 0x4E, 0x2E], "inline.pkl: at byte 0: unsupported pickle protocol 9"),
            ([0x80, 0x02, 0x2E], "inline.pkl: at byte 2: STOP on an empty stack"),
            ([0x80, 0x02, 0x68, 0x03, 0x2E], "inline.pkl: at byte 2: BINGET of memo entry 3, which was never stored"),
            ([0x80, 0x02, 0x58, 0xFF, 0xFF, 0x00, 0x00, 0x41], "inline.pkl: at byte 2: truncated pickle: BINUNICODE declares 65535 bytes, 1 remain"),
            ([0x63] + Array("os\nsystem".utf8), "inline.pkl: at byte 0: truncated pickle: GLOBAL's argument has no ending newline"),
            ([0x80, 0x02, 0x74, 0x2E], "inline.pkl: at byte 2: TUPLE without a MARK"),
            ([0x80, 0x02, 0x4E], "inline.pkl: at byte 3: truncated pickle: it ends without a STOP opcode"),
        ]
        for (bytes, message) in cases {
            let error = ONNXFixtures.message { () throws(TensorFileError) in _ = try PickleFixtures.scan(bytes: bytes) }
            #expect(error == message)
        }
        // Every prefix of a real checkpoint's pickle scans or throws; none traps.
        let whole = try [UInt8](Data(contentsOf: PickleFixtures.folder.appending(path: "builtins_open.pickle")))
        for length in 0..<whole.count { _ = try? PickleFixtures.scan(bytes: Array(whole[..<length])) }
    }

    @Test func deeplyNestedAndSelfReferencingPicklesScanWithoutRecursing() throws {
        // PROTO 2, NONE, then 300,000 TUPLE1: a tuple nested 300,000 deep.
        let deep: [UInt8] = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 300_000) + [0x2E]
        #expect(try PickleFixtures.scan(bytes: deep).nodes.count == 300_000)
        // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND: a list holding itself.
        let cycle: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E]
        let scan = try PickleFixtures.scan(bytes: cycle)
        #expect(scan.root == .node(0))
        #expect(scan.nodes.first?.items == [.node(0)])
    }

    @Test func compressedAndArrayHoldingJoblibFilesAreUnsupported() {
        let compressed = ONNXFixtures.message { () throws(TensorFileError) in _ = try PickleFixtures.scan("compressed.joblib") }
        #expect(compressed?.hasPrefix("compressed.joblib: zlib-compressed file") == true, "\(compressed ?? "no error")")
        let arrays = ONNXFixtures.message { () throws(TensorFileError) in _ = try PickleFixtures.scan("array.joblib") }
        #expect(arrays?.contains("joblib's NumpyArrayWrapper: joblib writes numpy array bytes inside the pickle stream") == true)
    }
}
