/// The globals PyTorch's `torch.load(..., weights_only=True)` lets a checkpoint import, and the
/// check that a scanned pickle imports no others.
///
/// Mirrors `_get_allowed_globals()` and `_tensor_rebuild_functions()` of
/// `torch/_weights_only_unpickler.py` on pytorch/pytorch's main branch at commit 00f730b66e58
/// (late 2025, torch 2.9/2.10 era): the names are written out here, as `str(...)` and
/// `module.__name__` give them there, without user additions (`add_safe_globals`). Modules PyTorch
/// always blocks (`sys`, `os`, `posix`, `nt`) are outside it. As PyTorch's loader does for
/// protocol-2 pickles, `__builtin__` is read as `builtins`.
package enum PickleAllowlist {
    /// `module.name` of every allowed global.
    package static let globals: Set<String> = {
        var names: Set<String> = [
            "collections.OrderedDict", "collections.Counter", "torch.nn.parameter.Parameter", "torch.serialization._get_layout",
            "torch.Size", "torch.Tensor", "torch.device", "_codecs.encode", "builtins.bytearray", "builtins.set", "builtins.complex",
            "torch._tensor._rebuild_from_type_v2",
            // Quantization schemes.
            "torch.per_tensor_affine", "torch.per_tensor_symmetric", "torch.per_channel_affine", "torch.per_channel_symmetric",
            "torch.per_channel_affine_float_qparams",
            // Storage classes that are not legacy typed storages.
            "torch.storage.UntypedStorage", "torch.storage.TypedStorage",
        ]
        // `_tensor_rebuild_functions()`.
        for function in [
            "_rebuild_parameter", "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_tensor", "_rebuild_tensor_v2",
            "_rebuild_tensor_v3", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage", "_rebuild_wrapper_subclass",
            "_rebuild_device_tensor_from_numpy", "_rebuild_device_tensor_from_cpu_tensor",
        ] {
            names.insert("torch._utils.\(function)")
        }
        // dtypes: `_dtype_to_storage_type_map()`, `_new_dtypes()`, and uint1…7, int1…7.
        for dtype in [
            "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex64", "complex128",
            "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "uint16", "uint32", "uint64", "float8_e5m2", "float8_e4m3fn",
            "float8_e5m2fnuz", "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "bits8", "bits16", "bits1x8", "bits2x4",
            "bits4x2", "complex32",
        ] {
            names.insert("torch.\(dtype)")
        }
        for bits in 1...7 {
            names.insert("torch.uint\(bits)")
            names.insert("torch.int\(bits)")
        }
        // `torch._tensor_classes` and the legacy `torch._storage_classes`, CPU and CUDA.
        let scalars = ["Double", "Float", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool"]
        let storageOnly = ["ComplexFloat", "ComplexDouble", "QUInt8", "QInt8", "QInt32", "QUInt4x2", "QUInt2x4"]
        for module in ["torch", "torch.cuda"] {
            for scalar in scalars { names.insert("\(module).\(scalar)Tensor") }
            for scalar in scalars + storageOnly { names.insert("\(module).\(scalar)Storage") }
        }
        return names
    }()

    /// Modules whose globals PyTorch refuses even when a user allowlists them.
    package static let blockedModules: Set<String> = ["sys", "os", "posix", "nt"]

    /// Whether `module.name` is allowed.
    package static func allows(module: String, name: String) -> Bool {
        let module = module == "__builtin__" ? "builtins" : module
        return !blockedModules.contains(module) && globals.contains("\(module).\(name)")
    }

    /// One error per global of `scan` outside the allowlist, per STACK_GLOBAL it cannot resolve,
    /// and per extension-registry reference, in file order; empty when the pickle passes.
    /// Errors name `source` and the opcode's offset.
    package static func violations(in scan: PickleScan, source: String) -> [TensorFileError] {
        var found: [(Int, String)] = []
        for global in scan.globals where !allows(module: global.module, name: global.name) {
            found.append((global.offset, "global '\(global)' is outside PyTorch's weights_only allowlist"))
        }
        for offset in scan.unresolvedGlobals {
            found.append((offset, "STACK_GLOBAL imports a global whose module or name is not a constant string"))
        }
        for reference in scan.extensions {
            found.append((reference.offset, "extension code \(reference.code) imports a global through copyreg's registry"))
        }
        return found.sorted { $0.0 < $1.0 }.map { TensorFileError(source: source, byteOffset: $0.0, message: $0.1) }
    }
}
