/// Accessors for the values plugins keep checking the same way: integers in a range, one of a
/// set of words, a delimiter. Each returns nil when the key is absent, and every error names
/// the key, the table and what was wanted, at the key's line and column.
extension ConfigTable {
    /// An integer within `range`, or nil when absent. A float (even `2.0`) is refused: TOML
    /// tells the two apart, and a count written as a float is likely a mistake.
    public func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        try integer(key, in: range, describedAs: Self.describe(range))
    }

    /// An integer of at least `range.lowerBound`, or nil when absent.
    public func integer(_ key: String, in range: PartialRangeFrom<Int>) throws(ConfigError) -> Int? {
        try integer(key, in: range.lowerBound...Int.max, describedAs: Self.describe(range))
    }

    private func integer(_ key: String, in range: ClosedRange<Int>, describedAs expected: String) throws(ConfigError) -> Int? {
        guard let node = self[key] else { return nil }
        guard case .int(let value) = node.value else { throw mistyped(key, node, expected: expected) }
        guard range.contains(value) else {
            throw ConfigError("'\(key)' in \(displayName) must be \(expected), not \(value)", at: node.position)
        }
        return value
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        "an integer from \(range.lowerBound) to \(range.upperBound)"
    }

    static func describe(_ range: PartialRangeFrom<Int>) -> String {
        switch range.lowerBound {
        case 0: return "a non-negative integer"
        case 1: return "a positive integer"
        case let lower: return "an integer of at least \(lower)"
        }
    }

    /// The value paired with the string written for `key`, or nil when absent; any other
    /// string is an error that lists the allowed ones, in the order given.
    ///
    /// ```swift
    /// let correction = try table.choice("correction", ["none": .none, "holm": .holm]) ?? .none
    /// ```
    public func choice<Value>(_ key: String, _ choices: KeyValuePairs<String, Value>) throws(ConfigError) -> Value? {
        try choice(key, among: choices.map { ($0.key, $0.value) })
    }

    /// The case of `type` whose raw value is written for `key`, or nil when absent; any other
    /// string is an error that lists the raw values of all cases.
    public func choice<Value: CaseIterable & RawRepresentable>(_ key: String, as type: Value.Type) throws(ConfigError) -> Value?
    where Value.RawValue == String {
        try choice(key, among: Value.allCases.map { ($0.rawValue, $0) })
    }

    /// The one rule behind both `choice` accessors.
    private func choice<Value>(_ key: String, among choices: [(word: String, value: Value)]) throws(ConfigError) -> Value? {
        guard let node = self[key] else { return nil }
        let allowed = Self.alternatives(choices.map(\.word))
        guard case .string(let text) = node.value else { throw mistyped(key, node, expected: allowed) }
        guard let value = choices.first(where: { $0.word == text })?.value else {
            throw ConfigError("'\(key)' in \(displayName) must be \(allowed), not \"\(text)\"", at: node.position)
        }
        return value
    }

    /// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
    static func alternatives(_ words: [String]) -> String {
        let quoted = words.map { "\"\($0)\"" }
        guard let last = quoted.last, quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + last
    }

    /// A field delimiter (see `Delimiter`), as its byte, or nil when absent.
    public func delimiter(_ key: String = "delimiter") throws(ConfigError) -> UInt8? {
        guard let text = try string(key) else { return nil }
        guard let delimiter = Delimiter(text) else {
            throw ConfigError("'\(key)' in \(displayName) must be \(Delimiter.requirement)", at: position(of: key))
        }
        return delimiter.byte
    }
}
