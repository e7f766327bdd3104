// Grammar (a pattern is '/'-separated segments, relative to a folder, case-sensitive):
//
//   glob      := "./"* segment ("/" segment)*      empty segments ("a//b", "a/") are dropped
//   segment   := "**"                              any number of folders, zero included
//              | element+
//   element   := "*"                               any run of characters, '/' excluded
//              | "?"                               one character, '/' excluded
//              | "[" ("!" | "^")? "]"? item* "]"   one character in (or, negated, not in) the class
//              | any other character               itself ('\' included: there is no escape)
//   item      := char "-" char                     a range, ends included; "z-a" is an error
//              | char                              a '-' first or last is itself
//
// "**" inside a longer segment ("a**b") is two '*'. Every matcher works on Unicode scalars,
// as Python's fnmatch works on code points.

/// A glob over `/`-separated paths relative to a folder: `*`, `?`, `[...]` and `**` (any folders).
///
/// `src/**/*.py` matches `src/a.py` and `src/x/y/a.py`; `**/test_*.py` matches a test file at
/// any depth; `data/**` matches everything below `data` (and `data` itself, so a submodule
/// at `data` counts). `*` and `?` never cross a `/`, and do match a leading `.`. Semantics
/// agree with Python 3.13's `PurePath.full_match` on relative paths. Matching takes time
/// proportional to pattern length × path length at worst: no exponential backtracking.
package struct PathGlob: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    package let pattern: String
    /// The compiled segments, `**` runs collapsed into one.
    private let segments: [Segment]

    /// Compiles `pattern`; a class without its `]`, a reversed range, an empty or absolute
    /// pattern is an error naming the 1-based column.
    package init(_ pattern: String) throws(PathGlobError) {
        self.pattern = pattern
        self.segments = try Parser(pattern).globSegments()
    }

    /// Whether `path` (relative, `/`-separated, a leading `./` ignored) matches the whole pattern.
    package func matches(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars)
        var start = 0
        while start + 1 < scalars.count, scalars[start] == ".", scalars[start + 1] == "/" { start += 2 }
        let parts = scalars[start...].split(separator: "/", omittingEmptySubsequences: true)
        return Self.matchSegments(segments[...], parts[...])
    }

    /// The pattern as written.
    package var description: String { pattern }

    /// Two globs are equal when written the same way.
    package static func == (lhs: PathGlob, rhs: PathGlob) -> Bool { lhs.pattern == rhs.pattern }

    /// Hashes the pattern as written.
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    // MARK: - Matching

    /// Segments against path parts; `**` is to parts what `*` is to characters, so the same
    /// two-pointer walk with one backtrack point applies (the last `**` absorbs one more part).
    private static func matchSegments(_ pattern: ArraySlice<Segment>, _ parts: ArraySlice<ArraySlice<Unicode.Scalar>>) -> Bool {
        var p = pattern.startIndex, t = parts.startIndex
        var star: Int?, resume = t
        while t < parts.endIndex {
            if p < pattern.endIndex, case .anyFolders = pattern[p] {
                star = p; resume = t; p += 1
            } else if p < pattern.endIndex, case .elements(let elements) = pattern[p], matchElements(elements, parts[t]) {
                p += 1; t += 1
            } else if let star {
                p = star + 1; resume += 1; t = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex, case .anyFolders = pattern[p] { p += 1 }
        return p == pattern.endIndex
    }

    /// One segment's elements against one path part: the classic wildcard walk, where the last
    /// `*` seen absorbs one more character each time the rest fails.
    private static func matchElements(_ elements: [Element], _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var e = 0, t = text.startIndex
        var star: Int?, resume = t
        while t < text.endIndex {
            if e < elements.count, case .anyRun = elements[e] {
                star = e; resume = t; e += 1
            } else if e < elements.count, elements[e].matches(text[t]) {
                e += 1; t += 1
            } else if let star {
                e = star + 1; resume += 1; t = resume
            } else {
                return false
            }
        }
        while e < elements.count, case .anyRun = elements[e] { e += 1 }
        return e == elements.count
    }
}

extension PathGlob {
    /// One `/`-separated piece of a pattern.
    enum Segment: Sendable {
        /// `**`: zero or more whole path parts.
        case anyFolders
        /// Anything else: matched against exactly one path part.
        case elements([Element])
    }

    /// One matcher inside a segment.
    enum Element: Sendable {
        /// A character standing for itself.
        case literal(Unicode.Scalar)
        /// `?`.
        case anyOne
        /// `*`.
        case anyRun
        /// `[...]`: ranges of characters, or everything but them.
        case oneOf([ClosedRange<Unicode.Scalar>], negated: Bool)

        /// Whether this single-character element accepts `scalar` (`*` is handled by the walk).
        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .literal(let expected): return scalar == expected
            case .anyOne: return true
            case .anyRun: return false
            case .oneOf(let ranges, let negated): return ranges.contains { $0.contains(scalar) } != negated
            }
        }
    }
}

extension PathGlob {
    /// A glob that matches exactly `path` (relative to the config's folder): its metacharacters
    /// escaped as one-character classes, a leading `./` dropped. Built-in plugins add the files
    /// they read to their suites' `paths` this way.
    package static func literal(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        var result = ""
        for character in text {
            switch character {
            case "*", "?", "[", "]", "{", "}", "\\": result += "[\(character)]"
            default: result.append(character)
            }
        }
        return result
    }
}
