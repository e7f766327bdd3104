import Foundation
import MLRunData
import MLRunTensors

/// The model's inputs written as `.npy` files into a test's temporary folder, by input name.
///
/// The model gets copies, never the user's files. An `.npz` gives one input per member, a
/// `.npy` one named after the file, a CSV file one float64 matrix `x` of the chosen columns
/// (all of them by default; an empty or unparsable field is an error naming its row).
enum ModelInputs {
    /// Writes the inputs into `folder`; returns each input's name and file, or a message
    /// naming the input file and the cause.
    static func write(_ inputs: RoundtripSpec.Inputs, into folder: URL) throws(InputError) -> [(String, URL)] {
        var tensors: [Tensor] = []
        switch inputs {
        case .arrays(let file):
            tensors = try read(file).tensors
        case .named(let files):
            for (name, file) in files {
                guard let tensor = try read(file).tensors.first else { continue }
                tensors.append(Tensor(name: name, dtype: tensor.dtype, shape: tensor.shape, buffer: tensor.buffer, byteRange: tensor.byteRange))
            }
        case .csv(let file, let columns, let delimiter):
            tensors = [try csvMatrix(file, columns: columns, delimiter: delimiter)]
        }
        var written: [(String, URL)] = []
        for tensor in tensors {
            guard let bytes = tensor.npyFileBytes() else {
                throw InputError("input '\(tensor.name)' is \(tensor.dtype), which a .npy file cannot hold")
            }
            let url = folder.appendingPathComponent("input-\(written.count)-\(safeName(tensor.name)).npy")
            do {
                try Data(bytes).write(to: url)
            } catch {
                throw InputError("cannot write the input '\(tensor.name)' to \(url.path): \(error.localizedDescription)")
            }
            written.append((tensor.name, url))
        }
        return written
    }

    private static func read(_ file: RoundtripSpec.File) throws(InputError) -> TensorFile {
        do {
            return try TensorFile.open(file.url, source: file.written)
        } catch {
            throw InputError("inputs: \(error.description)")
        }
    }

    private static func csvMatrix(_ file: RoundtripSpec.File, columns wanted: [String], delimiter: UInt8) throws(InputError) -> Tensor {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: file.url.path, displayPath: file.written, options: CSVOptions(delimiter: delimiter, parallel: false))
        } catch {
            throw InputError("inputs: \(error.description)")
        }
        let names = wanted.isEmpty ? reader.header : wanted
        var indices: [Int] = []
        for name in names {
            guard let index = reader.header.firstIndex(of: name) else {
                throw InputError("inputs: \(file.written): no column '\(name)' (its columns: \(reader.header.joined(separator: ", ")))")
            }
            indices.append(index)
        }
        var values: [Double] = []
        var rows = 0
        var problem: String?
        let frozen = indices
        do {
            try reader.read(
                work: { _ in () },
                consume: { batch, _ in
                    for row in 0..<batch.rowCount where problem == nil {
                        for (k, column) in frozen.enumerated() {
                            guard let field = batch.field(row: row, column: column), let value = NumberParsing.double(field) else {
                                problem =
                                    "\(file.written): row \(rows + row + 1), column '\(names[k])': '\(batch.string(row: row, column: column))' is not a number"
                                break
                            }
                            values.append(value)
                        }
                    }
                    rows += batch.rowCount
                })
        } catch {
            throw InputError("inputs: \(error.description)")
        }
        if let problem { throw InputError("inputs: \(problem)") }
        let bytes = values.withUnsafeBytes { Array($0) }
        return Tensor(name: "x", dtype: .float64, shape: [rows, names.count], buffer: TensorBuffer(copying: bytes), byteRange: 0..<bytes.count)
    }

    /// `name` with anything but letters, digits, `-` and `_` replaced, for a file name.
    private static func safeName(_ name: String) -> String {
        String(
            name.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_" }.prefix(
                40))
    }
}

/// Inputs that cannot be prepared.
struct InputError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
