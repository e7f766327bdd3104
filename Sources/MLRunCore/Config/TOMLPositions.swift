/// Finds where each key and array element of a TOML document was written.
///
/// TOMLKit parses and validates the document but does not expose positions, so this small
/// scanner walks the same (already valid) text and maps paths such as `command[1].markers[0]`
/// to 1-based line and column. It understands headers, dotted and quoted keys, all four
/// string forms, arrays, inline tables and comments — enough for valid TOML.
struct TOMLPositions {
    private(set) var positions: [String: (line: Int, column: Int)] = [:]
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var arrayTableCounts: [String: Int] = [:]

    init(text: String) {
        bytes = Array(text.utf8)
        scanDocument()
    }

    func position(of path: String) -> (line: Int, column: Int)? { positions[path] }

    private var column: Int { index - lineStart + 1 }
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        if bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    private mutating func skipSpaces() {
        while let c = current, c == 0x20 || c == 0x09 { advance() }
    }

    /// Skips spaces, newlines and comments.
    private mutating func skipBlank() {
        while let c = current {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                advance()
            } else if c == UInt8(ascii: "#") {
                while let d = current, d != 0x0A { advance() }
            } else {
                break
            }
        }
    }

    private mutating func scanDocument() {
        var prefix = ""
        while true {
            skipBlank()
            guard let c = current else { return }
            if c == UInt8(ascii: "[") {
                let headerLine = line, headerColumn = column
                advance()
                let isArray = current == UInt8(ascii: "[")
                if isArray { advance() }
                skipSpaces()
                let keys = scanKeyPath()
                while let d = current, d != 0x0A { advance() }
                let name = keys.joined(separator: ".")
                if isArray {
                    let n = arrayTableCounts[name, default: 0]
                    arrayTableCounts[name] = n + 1
                    prefix = "\(name)[\(n)]"
                    positions[name] = positions[name] ?? (headerLine, headerColumn)
                } else {
                    prefix = rebase(name)
                }
                positions[prefix] = (headerLine, headerColumn)
            } else {
                scanKeyValue(prefix: prefix)
                while let d = current, d != 0x0A { advance() }
            }
        }
    }

    /// Maps a table header inside an array of tables (`[command.env]`) onto its last element.
    private func rebase(_ name: String) -> String {
        let parts = name.split(separator: ".").map(String.init)
        var result: [String] = []
        var path = ""
        for part in parts {
            path = path.isEmpty ? part : path + "." + part
            if let n = arrayTableCounts[path] { result.append("\(part)[\(n - 1)]") } else { result.append(part) }
        }
        return result.joined(separator: ".")
    }

    private mutating func scanKeyValue(prefix: String) {
        let keyLine = line, keyColumn = column
        let keys = scanKeyPath()
        guard !keys.isEmpty else { advance(); return }
        let path = join(prefix, keys.joined(separator: "."))
        positions[path] = (keyLine, keyColumn)
        skipSpaces()
        if current == UInt8(ascii: "=") { advance() }
        skipSpaces()
        scanValue(path: path)
    }

    private func join(_ prefix: String, _ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    private mutating func scanKeyPath() -> [String] {
        var keys: [String] = []
        while let c = current {
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                keys.append(scanQuotedKey(quote: c))
            } else {
                var key: [UInt8] = []
                while let d = current, isBareKeyByte(d) { key.append(d); advance() }
                if key.isEmpty { break }
                keys.append(String(decoding: key, as: UTF8.self))
            }
            skipSpaces()
            if current == UInt8(ascii: ".") { advance(); skipSpaces() } else { break }
        }
        if current == UInt8(ascii: "]") { advance() }
        if current == UInt8(ascii: "]") { advance() }
        return keys
    }

    private func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    private mutating func scanQuotedKey(quote: UInt8) -> String {
        advance()
        var key: [UInt8] = []
        while let c = current, c != quote {
            if c == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") { advance() }
            if let d = current { key.append(d); advance() }
        }
        if current != nil { advance() }
        return String(decoding: key, as: UTF8.self)
    }

    private mutating func scanValue(path: String) {
        guard let c = current else { return }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            skipString(quote: c)
        case UInt8(ascii: "["):
            advance()
            var n = 0
            while true {
                skipBlank()
                guard let d = current else { return }
                if d == UInt8(ascii: "]") { advance(); return }
                if d == UInt8(ascii: ",") { advance(); continue }
                positions["\(path)[\(n)]"] = (line, column)
                scanValue(path: "\(path)[\(n)]")
                n += 1
            }
        case UInt8(ascii: "{"):
            advance()
            while true {
                skipBlank()
                guard let d = current else { return }
                if d == UInt8(ascii: "}") { advance(); return }
                if d == UInt8(ascii: ",") { advance(); continue }
                scanKeyValue(prefix: path)
            }
        default:
            while let d = current, d != UInt8(ascii: ","), d != UInt8(ascii: "]"), d != UInt8(ascii: "}"), d != 0x0A, d != UInt8(ascii: "#") {
                advance()
            }
        }
    }

    private mutating func skipString(quote: UInt8) {
        let triple = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
        if triple {
            advance(); advance(); advance()
            while current != nil {
                if bytes[index] == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") { advance(); if current != nil { advance() }; continue }
                if bytes[index] == quote, index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                    advance(); advance(); advance()
                    // Up to two more quotes may belong to the string.
                    while current == quote { advance() }
                    return
                }
                advance()
            }
        } else {
            advance()
            while let c = current, c != quote, c != 0x0A {
                if c == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") { advance() }
                if current != nil { advance() }
            }
            if current == quote { advance() }
        }
    }
}
