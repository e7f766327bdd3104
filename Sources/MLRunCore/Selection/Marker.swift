@_exported import MarkerExpression

/// A marker on a test: a name, optionally with keyword arguments (`device(serial='123')`).
public struct Marker: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var kwargs: [String: MarkerValue]

    public init(_ name: String, kwargs: [String: MarkerValue] = [:]) {
        self.name = name
        self.kwargs = kwargs
    }

    /// `name` or `name(key=value, …)` with keys sorted, as a marker expression would spell it.
    public var description: String {
        guard !kwargs.isEmpty else { return name }
        let arguments = kwargs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }

    /// The marker as the suite protocol and the JSON report spell it: a string, or an object
    /// with `name` and `kwargs`.
    package var jsonValue: JSONValue {
        guard !kwargs.isEmpty else { return .string(name) }
        let arguments: [(String, JSONValue)] = kwargs.sorted { $0.key < $1.key }.map { key, value in
            switch value {
            case .string(let s): return (key, .string(s))
            case .int(let i): return (key, .int(i))
            case .bool(let b): return (key, .bool(b))
            case .null: return (key, .null)
            }
        }
        return .object([("name", .string(name)), ("kwargs", .object(arguments))])
    }

    /// Reads a marker from its suite-protocol spelling; the error says what is wrong.
    package init(json: JSONValue) throws(MarkerFormatError) {
        switch json {
        case .string(let name) where !name.isEmpty:
            self.init(name)
        case .object:
            guard let name = json["name"]?.stringValue, !name.isEmpty else {
                throw MarkerFormatError(message: "a marker object needs a non-empty string \"name\"")
            }
            var kwargs: [String: MarkerValue] = [:]
            switch json["kwargs"] {
            case nil, .null?: break
            case .object(let members)?:
                for (key, value) in members {
                    switch value {
                    case .string(let s): kwargs[key] = .string(s)
                    case .int(let i): kwargs[key] = .int(i)
                    case .bool(let b): kwargs[key] = .bool(b)
                    case .null: kwargs[key] = .null
                    default:
                        throw MarkerFormatError(
                            message: "marker \(name): kwarg \"\(key)\" is \(value.typeWithArticle); expected a string, integer, boolean or null")
                    }
                }
            case let other?:
                throw MarkerFormatError(message: "marker \(name): \"kwargs\" is \(other.typeWithArticle); expected an object")
            }
            self.init(name, kwargs: kwargs)
        default:
            throw MarkerFormatError(message: "a marker is a non-empty string or an object {\"name\": …, \"kwargs\": {…}}; got \(json.typeName)")
        }
    }
}

/// A marker that is not spelled as the suite protocol requires.
package struct MarkerFormatError: Error, Sendable {
    package var message: String
}

/// Matches marker expressions (`-m`) against a test's markers, as pytest's `MarkMatcher`:
/// a name holds when the test has a marker of that name whose keyword arguments include
/// every given pair (compared by type and value).
package struct MarkerMatcher: Matcher {
    private let markersByName: [String: [Marker]]

    package init(_ markers: [Marker]) {
        markersByName = Dictionary(grouping: markers, by: \.name)
    }

    package func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool {
        guard let candidates = markersByName[name] else { return false }
        return candidates.contains { marker in kwargs.allSatisfy { marker.kwargs[$0.0] == $0.1 } }
    }
}

/// Matches keyword expressions (`-k`): a name holds when it is a case-insensitive substring
/// of the test id or equals (case-insensitively) one of its marker names; for a test with its
/// framework's own keywords (``TestCase/keywords``), when it is a case-insensitive substring of
/// one of them, as pytest's `-k` does.
package struct KeywordMatcher: Matcher {
    private let loweredID: String
    private let loweredMarkers: Set<String>
    private let loweredKeywords: [String]?

    package init(id: String, markers: [Marker], keywords: [String]? = nil) {
        loweredID = id.lowercased()
        loweredMarkers = Set(markers.map { $0.name.lowercased() })
        loweredKeywords = keywords?.map { $0.lowercased() }
    }

    package func matches(_ name: String, kwargs: [(String, MarkerValue)]) -> Bool {
        let lowered = name.lowercased()
        if let loweredKeywords { return loweredKeywords.contains { $0.contains(lowered) } }
        return loweredMarkers.contains(lowered) || loweredID.contains(lowered)
    }
}
