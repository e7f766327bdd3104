import Foundation
import Testing

@testable import MLRunData

@Suite struct NumPyArrayErrorTests {
    /// A `.npy` file: preamble, `header` padded with spaces and a newline so the data starts at
    /// a multiple of 64 (as numpy writes it), then `data`.
    static func npy(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let preamble = version == 1 ? 10 : 12
        var text = Array(header.utf8)
        text += [UInt8](repeating: UInt8(ascii: " "), count: 63 - (preamble + text.count) % 64) + [0x0A]
        var bytes: [UInt8] = magic + [version, 0]
        let length = UInt32(text.count)
        bytes +=
            version == 1
            ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        return bytes + text + data
    }

    static func header(descr: String = "'<f8'", fortran: String = "False", shape: String = "(3,)") -> String {
        "{'descr': \(descr), 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    static let threeDoubles = [UInt8](repeating: 0, count: 24)
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let readable = "readable are bool, int8-int64, uint8-uint64 and float16-float64"
    static let descrForm = "a descr is a byte order (<, >, = or |), a kind letter and a size, as in '<f8'"

    static func patched(_ bytes: [UInt8], at offset: Int, to byte: UInt8) -> [UInt8] {
        var bytes = bytes
        bytes[offset] = byte
        return bytes
    }

    /// Bytes that must not read, and the message they must give.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "empty file", bytes: [],
            message: "empty file: a .npy file starts with the magic string \\x93NUMPY"),
        Case(
            name: "bad magic", bytes: Array("hello, world".utf8),
            message: "not a .npy file: it does not start with the magic string \\x93NUMPY"),
        Case(
            name: "magic only", bytes: magic,
            message: "truncated: the file ends at byte 6, inside the magic string and version"),
        Case(
            name: "version 4.0", bytes: magic + [4, 0, 0, 0],
            message: "unsupported format version 4.0 at byte 6; known versions are 1.0, 2.0 and 3.0"),
        Case(
            name: "version 1.1", bytes: magic + [1, 1, 0, 0],
            message: "unsupported format version 1.1 at byte 6; known versions are 1.0, 2.0 and 3.0"),
        Case(
            name: "v2 short length", bytes: magic + [2, 0, 0x10, 0],
            message: "truncated: the file ends at byte 10, inside the 4-byte header length at byte 8"),
        Case(
            name: "header past end", bytes: magic + [1, 0, 118, 0] + Array("{'descr'".utf8),
            message: "truncated: the header length at byte 8 is 118, but only 8 bytes follow it"),
        Case(
            name: "empty header", bytes: magic + [1, 0, 0, 0],
            message: "header: empty; a header is a Python dict ending in a newline"),
        Case(
            name: "truncated data", bytes: npy(header(), data: Array(threeDoubles.dropLast(3))),
            message: "truncated: the header promises 24 bytes of data, the file has 21"),
        Case(
            name: "trailing data", bytes: npy(header(), data: threeDoubles + [1]),
            message: "trailing data: the header promises 24 bytes of data, the file has 25"),
        Case(
            name: "shape/size mismatch", bytes: npy(header(shape: "(2, 2)"), data: threeDoubles),
            message: "truncated: the header promises 32 bytes of data, the file has 24"),
        Case(
            name: "no newline", bytes: patched(npy(header(), data: threeDoubles), at: 127, to: 0x20),
            message: "header: does not end with a newline at byte 127"),
        Case(
            name: "unknown descr", bytes: npy(header(descr: "'<x4'")),
            message: "header: unknown dtype '<x4' at byte 20; \(descrForm)"),
        Case(
            name: "descr without order", bytes: npy(header(descr: "'f8'")),
            message: "header: unknown dtype 'f8' at byte 20; \(descrForm)"),
        Case(
            name: "odd integer size", bytes: npy(header(descr: "'<i3'")),
            message: "header: unsupported dtype '<i3' (a 3-byte integer) at byte 20; \(readable)"),
        Case(
            name: "object", bytes: npy(header(descr: "'|O'")),
            message: "header: unsupported dtype '|O' (Python objects) at byte 20; \(readable)"),
        Case(
            name: "unicode", bytes: npy(header(descr: "'<U5'")),
            message: "header: unsupported dtype '<U5' (unicode strings) at byte 20; \(readable)"),
        Case(
            name: "complex", bytes: npy(header(descr: "'<c16'")),
            message: "header: unsupported dtype '<c16' (complex numbers) at byte 20; \(readable)"),
        Case(
            name: "datetime", bytes: npy(header(descr: "'<M8[ns]'")),
            message: "header: unsupported dtype '<M8[ns]' (datetime64) at byte 20; \(readable)"),
        Case(
            name: "long double", bytes: npy(header(descr: "'<f16'")),
            message: "header: unsupported dtype '<f16' (extended precision floats) at byte 20; \(readable)"),
        Case(
            name: "'|' on a wide type", bytes: npy(header(descr: "'|f8'")),
            message: "header: dtype '|f8' has no byte order at byte 20; '|' is only for one-byte types"),
        Case(
            name: "structured", bytes: npy(header(descr: "[('a', '<f8')]")),
            message: "header: structured dtypes are not supported ('descr' is a list) at byte 20"),
        Case(
            name: "descr not a string", bytes: npy(header(descr: "f8")),
            message: "header: expected a string such as '<f8' for 'descr' at byte 20; got 'f'"),
        Case(
            name: "no brace", bytes: npy("'descr': '<f8'"),
            message: "header: expected '{' at the start at byte 10; got \"'\""),
        Case(
            name: "missing colon", bytes: npy("{'descr' '<f8', 'fortran_order': False, 'shape': (3,), }"),
            message: "header: expected ':' after 'descr' at byte 19; got \"'\""),
        Case(
            name: "missing quote", bytes: npy("{'descr: '<f8', 'fortran_order': False, 'shape': (3,), }"),
            message: "header: unknown key 'descr: ' at byte 11; the keys are 'descr', 'fortran_order' and 'shape'"),
        Case(
            name: "unterminated", bytes: npy("{'descr': '<f8"),
            message: "header: unterminated string at byte 20"),
        Case(
            name: "unknown key", bytes: npy("{'descr': '<f8', 'order': 'C', 'shape': (3,), }"),
            message: "header: unknown key 'order' at byte 27; the keys are 'descr', 'fortran_order' and 'shape'"),
        Case(
            name: "duplicate key", bytes: npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"),
            message: "header: duplicate key 'descr' at byte 27"),
        Case(
            name: "missing key", bytes: npy("{'descr': '<f8', 'fortran_order': False}"),
            message: "header: missing key 'shape' in the dict that ends at byte 49"),
        Case(
            name: "empty dict", bytes: npy("{}"),
            message: "header: missing key 'descr' in the dict that ends at byte 11"),
        Case(
            name: "double comma", bytes: npy("{'descr': '<f8',, 'shape': (3,), }"),
            message: "header: expected a key ('descr', 'fortran_order' or 'shape') or '}' at byte 26; got ','"),
        Case(
            name: "no comma", bytes: npy("{'descr': '<f8' 'fortran_order': False, 'shape': (3,), }"),
            message: "header: expected ',' or '}' after the value of 'descr' at byte 26; got \"'\""),
        Case(
            name: "fortran lowercase", bytes: npy(header(fortran: "true")),
            message: "header: expected True or False for 'fortran_order' at byte 44; got 'true'"),
        Case(
            name: "fortran int", bytes: npy(header(fortran: "0")),
            message: "header: expected True or False for 'fortran_order' at byte 44; got '0'"),
        Case(
            name: "shape without comma", bytes: npy(header(shape: "(3)")),
            message: "header: a 1-axis shape needs a trailing comma, (3,) not (3), at byte 60"),
        Case(
            name: "shape negative", bytes: npy(header(shape: "(-3,)")),
            message: "header: negative axis length in 'shape' at byte 61"),
        Case(
            name: "shape nested", bytes: npy(header(shape: "((3, 4),)")),
            message: "header: expected an axis length (a non-negative integer) in 'shape' at byte 61; got '('"),
        Case(
            name: "shape list", bytes: npy(header(shape: "[3]")),
            message: "header: expected a tuple such as (3, 4) for 'shape' at byte 60; got '['"),
        Case(
            name: "shape float", bytes: npy(header(shape: "(3.0,)")),
            message: "header: expected an axis length (a non-negative integer) in 'shape' at byte 61; got '3.0'"),
        Case(
            name: "shape unclosed", bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4"),
            message: "header: expected ',' or ')' in 'shape' at byte 127; got the end of the header"),
        Case(
            name: "shape huge axis", bytes: npy(header(shape: "(123456789012345678901234567890,)")),
            message: "header: axis length 123456789012345678901234… in 'shape' is too large at byte 61"),
        Case(
            name: "shape overflow", bytes: npy(header(shape: "(4294967296, 4294967296)")),
            message: "header: shape (4294967296, 4294967296) at byte 60 is too large: "
                + "8-byte elements would take more than 9223372036854775807 bytes"),
        Case(
            name: "shape with 65 axes", bytes: npy(header(shape: "(" + String(repeating: "1, ", count: 65) + ")")),
            message: "header: 'shape' has more than 64 axes at byte 60"),
        Case(
            name: "after brace", bytes: npy(header() + " x"),
            message: "header: unexpected 'x' after the closing '}' at byte 68"),
        Case(
            name: "latin-1 byte", bytes: patched(npy("{'descr': '<f8', X}"), at: 27, to: 0xE9),
            message: "header: expected a key ('descr', 'fortran_order' or 'shape') or '}' at byte 27; got byte 0xE9"),
        Case(
            name: "v3 bad UTF-8", bytes: patched(npy(header(), data: threeDoubles, version: 3), at: 20, to: 0xFF),
            message: "header: not valid UTF-8 at byte 20"),
    ]

    @Test(arguments: cases)
    func rejects(_ bad: Case) {
        let error = #expect(throws: NumPyError.self) { try NumPyArray(bytes: bad.bytes, source: "data/x.npy") }
        #expect(error?.description == "data/x.npy: \(bad.message)")
    }
}
