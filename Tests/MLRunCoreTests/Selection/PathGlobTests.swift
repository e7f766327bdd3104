import MLRunCore
import Testing

@Suite struct PathGlobTests {
    /// Single-segment patterns: each row agrees with Python's `fnmatch.fnmatchcase(path, pattern)`.
    static let segmentCases: [(String, String, Bool)] = [
        ("a.py", "a.py", true), ("a.py", "b.py", false), ("a.py", "A.py", false),
        ("*.py", "a.py", true), ("*.py", ".py", true), ("*.py", ".hidden.py", true), ("*.py", "a.pyc", false),
        ("*", "anything", true),
        ("test_*.py", "test_.py", true), ("test_*.py", "test_x.py", true), ("test_*.py", "xtest_x.py", false),
        ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "abcabc", true), ("a*b*c", "acb", false),
        ("*a*a*a*a*a*a*a*b", String(repeating: "a", count: 60), false),
        ("??.csv", "ab.csv", true), ("??.csv", "a.csv", false), ("??.csv", "abc.csv", false),
        ("[abc].txt", "b.txt", true), ("[abc].txt", "d.txt", false),
        ("[a-c]x", "bx", true), ("[a-c]x", "dx", false), ("[a-cx-z]", "y", true),
        ("[!a-c]x", "dx", true), ("[!a-c]x", "ax", false),
        ("[]a]", "]", true), ("[]a]", "a", true), ("[!]]", "]", false), ("[!]]", "x", true),
        ("[a-]", "-", true), ("[a-]", "a", true), ("[-a]", "-", true), ("[*?]", "*", true), ("[*?]", "x", false),
        ("a\\b", "a\\b", true), ("a+b(1){2}", "a+b(1){2}", true), ("a.b", "aXb", false),
        ("a**b", "aXYb", true), ("**b", "ab", true),
        ("é*", "été", true), ("?", "é", true),
    ]

    @Test(arguments: segmentCases)
    func segmentMatchesAsFnmatch(pattern: String, path: String, expected: Bool) throws {
        #expect(try PathGlob(pattern).matches(path) == expected)
    }

    /// Multi-segment patterns, hand-checked against `PurePath(path).full_match(pattern)` semantics.
    static let pathCases: [(String, String, Bool)] = [
        ("src/*.py", "src/a.py", true), ("src/*.py", "src/x/a.py", false), ("src/*.py", "a.py", false),
        ("*.py", "src/a.py", false), ("*/a.py", "src/a.py", true),
        ("src/**/*.py", "src/a.py", true), ("src/**/*.py", "src/x/a.py", true), ("src/**/*.py", "src/x/y/a.py", true),
        ("src/**/*.py", "lib/a.py", false), ("src/**/*.py", "src/x/a.txt", false),
        ("**/test_*.py", "test_a.py", true), ("**/test_*.py", "tests/unit/test_a.py", true),
        ("**/test_*.py", "tests/unit/a_test.py", false),
        ("data/**", "data/train.csv", true), ("data/**", "data/x/y/z.npy", true), ("data/**", "data", true),
        ("data/**", "database/x", false), ("data/**", "other/data/x", false),
        ("**", "a", true), ("**", "a/b/c", true), ("**/**", "a/b", true),
        ("a/**/b/**/c", "a/b/c", true), ("a/**/b/**/c", "a/x/b/y/z/c", true), ("a/**/b/**/c", "a/x/c", false),
        ("a/**/a/**/a/**/b", Array(repeating: "a", count: 40).joined(separator: "/"), false),
        ("**/models/*.safetensors", "checkpoints/models/m.safetensors", true),
        ("./src/*.py", "src/a.py", true), ("src/*.py", "./src/a.py", true), ("././src/*.py", "src/a.py", true),
        ("src//*.py", "src/a.py", true), ("src/", "src", true),
        ("src/?/a", "src/x/a", true), ("src/?/a", "src/xy/a", false), ("src?a", "src/a", false), ("src*a", "src/a", false),
        ("src/[!.]*", "src/a", true), ("src/[!.]*", "src/.a", false),
        ("Data/*.csv", "data/x.csv", false),
        // '^' negates as in git's wildmatch; Python's fnmatch reads it as a member instead.
        ("[^a-c]x", "dx", true), ("[^a-c]x", "bx", false), ("[^a-c]x", "^x", true),
    ]

    @Test(arguments: pathCases)
    func pathMatchesAsFullMatch(pattern: String, path: String, expected: Bool) throws {
        #expect(try PathGlob(pattern).matches(path) == expected)
    }

    @Test(arguments: [
        ("[abc", 1, "character class '[' is not closed with ']' before the end of the glob"),
        ("src/[ab", 5, "character class '[' is not closed with ']' before the end of the glob"),
        ("src/x[a/b]", 6, "character class '[' is not closed with ']' before the '/' at column 8"),
        ("[]", 1, "character class '[' is not closed with ']' before the end of the glob"),
        ("[!]", 1, "character class '[' is not closed with ']' before the end of the glob"),
        ("a[z-a]", 3, "range 'z-a' is reversed; write 'a-z'"),
        ("", 1, "empty path glob"),
        ("./", 1, "empty path glob"),
        ("/src/*.py", 1, "a path glob is relative to the config file's folder; remove the leading '/'"),
    ])
    func malformedGlobsNameTheColumn(pattern: String, column: Int, message: String) {
        #expect(throws: PathGlobError(pattern: pattern, column: column, message: message)) {
            try PathGlob(pattern)
        }
    }

    @Test func errorDescriptionQuotesTheGlobAndColumn() {
        let error = PathGlobError(pattern: "src/[ab", column: 5, message: "character class '[' is not closed")
        #expect(error.description == "glob 'src/[ab': at column 5: character class '[' is not closed")
    }

    @Test func equalityAndHashingFollowThePatternAsWritten() throws {
        let set: Set<PathGlob> = [try PathGlob("a/*"), try PathGlob("a/*"), try PathGlob("./a/*")]
        #expect(set.count == 2)
        #expect(try PathGlob("src/**").description == "src/**")
    }

    /// A star-heavy pattern against a long non-matching path must not backtrack exponentially.
    @Test func starChainsStayFast() throws {
        let glob = try PathGlob(String(repeating: "*a", count: 30) + "b")
        let folders = try PathGlob(Array(repeating: "**/a", count: 30).joined(separator: "/") + "/b")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!glob.matches(String(repeating: "a", count: 2_000)))
            #expect(!folders.matches(Array(repeating: "a", count: 500).joined(separator: "/")))
        }
        #expect(elapsed < .seconds(2))
    }
}

@Suite struct PathGlobLiteralTests {
    @Test(arguments: ["data/t[1].csv", "./a*b?/c{d}.csv", "plain/file.csv", "back\\slash.csv"])
    func aLiteralGlobMatchesExactlyItsPath(path: String) throws {
        let glob = try PathGlob(PathGlob.literal(path))
        let clean = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        #expect(glob.matches(clean))
        #expect(!glob.matches(clean + "x"))
        #expect(!glob.matches("other/" + clean))
    }
}
