import Foundation
import MLRunCore
import MLRunTensors

/// One `[[roundtrip]]` table, validated.
struct RoundtripSpec: Sendable {
    /// A file the suite reads or writes: where it is, and how the config spells it.
    struct File: Sendable {
        var url: URL
        var written: String
    }

    /// Where the model's inputs come from.
    enum Inputs: Sendable {
        /// `.npy` files by input name (an `.npz` gives one per member, a `.npy` one named after it).
        case arrays(File)
        /// Named `.npy` files: `inputs = { x = "x.npy", mask = "mask.npy" }`.
        case named([(name: String, file: File)])
        /// Columns of a CSV file as one float64 matrix named `x`.
        case csv(File, columns: [String], delimiter: UInt8)
    }

    var name: String
    var markers: [Marker]
    var paths: [String]
    var timeout: Double?

    // The artifact's static checks.
    var artifact: File?
    var manifest: File?
    /// Globs of tensor names that may be all-zero or constant.
    var allowConstant: [PathGlob]
    /// Tensors with fewer elements than this are not checked for being dead.
    var minDeadSize: Int

    // Against a reference checkpoint.
    var reference: File?
    /// The dtype the artifact's float tensors were exported to, if not the reference's own.
    var exportDType: TensorDType?

    // The real round trip.
    var model: [String]?
    var inputs: Inputs?
    var expected: File?
    /// The file name of what `save` writes in the test's temporary folder.
    var saveAs: String
    var saveTwice: Bool

    /// Overrides of torch.testing.assert_close's per-dtype defaults (see ``Tolerance``).
    var tolerance: Double?
    var relativeTolerance: Double?

    static let keys = [
        "name", "markers", "paths", "timeout", "artifact", "manifest", "allow_constant", "min_dead_size", "reference",
        "export_dtype", "model", "inputs", "columns", "delimiter", "expected", "save_as", "save_twice", "tolerance",
        "relative_tolerance",
    ]

    init(table: ConfigTable, environment: PluginEnvironment) throws(ConfigError) {
        try table.rejectUnknownKeys(allowed: Self.keys)
        let declaration = try table.suiteDeclaration()
        name = declaration.name
        markers = declaration.markers
        timeout = try table.number("timeout", in: 0.001...1e9)
        let directory = environment.configDirectory
        func file(_ key: String) throws(ConfigError) -> File? {
            guard let path = try table.path(key, relativeTo: directory, expecting: .mayBeMissing) else { return nil }
            return File(url: path.url, written: path.written)
        }
        artifact = try file("artifact")
        manifest = try file("manifest")
        reference = try file("reference")
        expected = try file("expected")
        for (key, file) in [("artifact", artifact), ("reference", reference)] {
            if let file, TensorFile.format(ofPath: file.url.path) == nil {
                throw ConfigError(
                    "'\(key)' in \(table.displayName): mlrun reads .safetensors, .npz, .npy, .onnx and pickle-based "
                        + ".pt/.pth/.ckpt/.bin/.pkl/.joblib files, not '\(file.written)'",
                    at: table.position(of: key))
            }
        }
        allowConstant = []
        if case .array(let elements)? = table["allow_constant"]?.value {
            for (pattern, element) in zip(try table.stringArray("allow_constant") ?? [], elements) {
                do throws(PathGlobError) {
                    allowConstant.append(try PathGlob(pattern))
                } catch {
                    throw ConfigError("bad pattern '\(pattern)' in 'allow_constant': \(error.message)", at: element.position)
                }
            }
        } else if table["allow_constant"] != nil {
            _ = try table.stringArray("allow_constant")
        }
        minDeadSize = try table.integer("min_dead_size", in: 1...) ?? 16
        exportDType = try table.choice("export_dtype", as: TensorDType.self)
        if exportDType != nil, reference == nil {
            throw ConfigError(
                "'export_dtype' says how the artifact differs from 'reference'; give 'reference' too", at: table.position(of: "export_dtype"))
        }
        if let exportDType, !exportDType.isFloatingPoint || !exportDType.isReadable {
            throw ConfigError(
                "'export_dtype' must be a float dtype mlrun reads (F64, F32, F16, BF16, F8_E4M3, F8_E5M2), not \(exportDType)",
                at: table.position(of: "export_dtype"))
        }
        if manifest != nil, artifact == nil {
            throw ConfigError("'manifest' describes 'artifact'; give 'artifact' too", at: table.position(of: "manifest"))
        }
        if reference != nil, artifact == nil {
            throw ConfigError("'reference' is compared with 'artifact'; give 'artifact' too", at: table.position(of: "reference"))
        }
        tolerance = try table.number("tolerance", in: 0...1e300)
        relativeTolerance = try table.number("relative_tolerance", in: 0...1e300)

        model = try table.stringArray("model")
        if let model, model.isEmpty || model[0].isEmpty {
            throw ConfigError("'model' must be a non-empty argv, e.g. [\"python3\", \"serve.py\"]", at: table.position(of: "model"))
        }
        inputs = try Self.inputs(table, directory: directory)
        saveAs = try table.string("save_as") ?? "saved" + (artifact.map { "." + $0.url.pathExtension } ?? ".model")
        if saveAs.isEmpty || saveAs.contains("/") || saveAs == "." || saveAs == ".." {
            throw ConfigError("'save_as' is a file name without '/', e.g. \"model.safetensors\"", at: table.position(of: "save_as"))
        }
        saveTwice = try table.bool("save_twice") ?? false
        if model == nil {
            for key in ["inputs", "expected", "save_as", "save_twice"] where table[key] != nil {
                throw ConfigError("'\(key)' is used by the round trip through 'model'; give 'model' too", at: table.position(of: key))
            }
        } else if inputs == nil {
            throw ConfigError(
                "the round trip through 'model' needs 'inputs': a .npy/.npz file, a table of .npy files, or a CSV file",
                at: table.position(of: "model"))
        }
        if artifact == nil, model == nil {
            throw ConfigError(
                "\(table.displayName) needs 'artifact' (a model file to check), 'model' (a program to round-trip), or both", at: table.position)
        }
        let files = [artifact, manifest, reference, expected].compactMap { $0?.written } + Self.inputFiles(inputs)
        paths = declaration.paths + files.map(PathGlob.literal)
    }

    private static func inputs(_ table: ConfigTable, directory: URL) throws(ConfigError) -> Inputs? {
        switch table["inputs"]?.value {
        case nil:
            for key in ["columns", "delimiter"] where table[key] != nil {
                throw ConfigError("'\(key)' picks columns of a CSV 'inputs' file; give 'inputs' too", at: table.position(of: key))
            }
            return nil
        case .string?:
            guard let path = try table.path("inputs", relativeTo: directory, expecting: .mayBeMissing) else { return nil }
            let file = File(url: path.url, written: path.written)
            switch path.url.pathExtension.lowercased() {
            case "npy", "npz":
                for key in ["columns", "delimiter"] where table[key] != nil {
                    throw ConfigError("'\(key)' applies to a CSV 'inputs' file, not '\(path.written)'", at: table.position(of: key))
                }
                return .arrays(file)
            case "csv", "tsv":
                let delimiter = try table.delimiter() ?? UInt8(ascii: path.url.pathExtension.lowercased() == "tsv" ? "\t" : ",")
                return .csv(file, columns: try table.stringArray("columns") ?? [], delimiter: delimiter)
            default:
                throw ConfigError("'inputs' must be a .npy, .npz or .csv file, or a table of .npy files; got '\(path.written)'", at: path.position)
            }
        case .table(let named)?:
            var files: [(name: String, file: File)] = []
            for (name, _) in named.entries {
                guard let path = try named.path(name, relativeTo: directory, expecting: .mayBeMissing) else { continue }
                guard path.url.pathExtension.lowercased() == "npy" else {
                    throw ConfigError("input '\(name)' must be a .npy file; got '\(path.written)'", at: path.position)
                }
                files.append((name, File(url: path.url, written: path.written)))
            }
            guard !files.isEmpty else { throw ConfigError("'inputs' names no input", at: table.position(of: "inputs")) }
            return .named(files)
        case .some:
            let kind = table["inputs"]?.typeWithArticle ?? "a value"
            throw ConfigError("'inputs' must be a file path or a table of .npy files, not \(kind)", at: table.position(of: "inputs"))
        }
    }

    private static func inputFiles(_ inputs: Inputs?) -> [String] {
        switch inputs {
        case nil: []
        case .arrays(let file)?, .csv(let file, _, _)?: [file.written]
        case .named(let files)?: files.map(\.file.written)
        }
    }

    /// Whether `tensor` may be all-zero or constant.
    func allowsConstant(_ tensor: String) -> Bool {
        allowConstant.contains { $0.matches(tensor) }
    }
}
