/// `--changed` / `--changed-since`: the files that changed, and which tests they affect.
///
/// A test is affected when a changed path matches one of its suite's `paths` globs or one
/// of its own paths (globs too). A test with no paths of its own in a suite without
/// `paths` is always selected (its dependencies are unknown, so it runs). A test with paths
/// of its own in a suite without `paths` is selected only when those change. A change to
/// the config file selects everything.
package struct ChangeSelection: Sendable {
    /// Changed paths relative to the config file's folder, '/'-separated.
    package var changed: Set<String>
    /// How each path changed ("modified", "untracked", "renamed from x", …), for explanations.
    package var details: [String: String]
    /// Whether the config file itself changed.
    package var configChanged: Bool
    /// What was compared, e.g. `--changed (HEAD vs working tree)`.
    package var source: String

    package init(changed: Set<String>, details: [String: String] = [:], configChanged: Bool, source: String) {
        self.changed = changed
        self.details = details
        self.configChanged = configChanged
        self.source = source
        sortedChanged = changed.sorted()
    }

    private let sortedChanged: [String]

    /// Whether a test with these globs is affected.
    package enum Verdict: Sendable, Equatable {
        /// Selected; the sentence says which change matched which glob (or why every test is).
        case affected(because: String)
        /// Not selected: no changed file matches any of these patterns.
        case unaffected(patterns: [String])
    }

    /// Whether a test with these globs is affected, and why (or why not).
    package func verdict(suitePaths: [PathGlob], testPaths: [PathGlob]) -> Verdict {
        if configChanged { return .affected(because: "the config file changed (\(source)): everything is selected") }
        if suitePaths.isEmpty && testPaths.isEmpty {
            return .affected(because: "it has no paths, so any change may affect it: always selected")
        }
        for (globs, whose) in [(testPaths, "its own path"), (suitePaths, "its suite's path")] {
            for glob in globs {
                if let path = sortedChanged.first(where: { glob.matches($0) }) {
                    let how = details[path].map { " (\($0))" } ?? ""
                    return .affected(because: "changed file \(path)\(how) matches \(whose) '\(glob.pattern)'")
                }
            }
        }
        return .unaffected(patterns: (testPaths + suitePaths).map(\.pattern))
    }

    /// Globs from `patterns`; one that does not parse matches its text literally.
    package static func globs(_ patterns: [String]) -> [PathGlob] {
        patterns.compactMap { pattern in
            if let glob = try? PathGlob(pattern) { return glob }
            return try? PathGlob(PathGlob.escaped(pattern))
        }
    }
}

extension PathGlob {
    /// `text` with the glob characters `*`, `?` and `[` wrapped in classes, so it matches itself only.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "*", "?", "[": out += "[\(character)]"
            default: out.append(character)
            }
        }
        return out
    }
}
