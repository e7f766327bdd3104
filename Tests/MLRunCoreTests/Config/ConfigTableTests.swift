import Foundation
import MLRunCore
import Testing

/// A color, for `choice(_:as:)`.
enum ConfigTableTestColor: String, CaseIterable {
    case red, green
}

/// The accessors plugins read their tables with. Each case is a `[[t]]` table's body (the
/// table starts on line 1, so the body on line 2) and what the accessor gives: the value, `nil`
/// when absent, or the error as `LINE:COLUMN: MESSAGE`, with `<folder>` for the config's folder.
@Suite struct ConfigTableTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        try Data("a,b\n1,2\n".utf8).write(to: folder.url.appendingPathComponent("data.csv"))
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("sub"), withIntermediateDirectories: true)
    }

    /// The first `[[t]]` table of a `runner.toml` in `folder` whose table holds `body`.
    func table(_ body: String) throws -> ConfigTable {
        let config = try RunnerConfig.parse("[[t]]\n" + body, file: folder.url.appendingPathComponent("runner.toml"), pluginTables: ["t"])
        return try #require(config.suiteTables["t"]?.first)
    }

    /// What an accessor gave, in the cases' notation.
    func outcome<Value>(_ body: String, _ read: (ConfigTable) throws(ConfigError) -> Value?) throws -> String {
        let table = try table(body)
        do throws(ConfigError) {
            return try read(table).map { "\($0)" } ?? "nil"
        } catch {
            return rendered(error)
        }
    }

    func rendered(_ error: ConfigError) -> String {
        let position = error.position.map { "\($0.line):\($0.column): " } ?? ""
        return (position + error.message).replacingOccurrences(of: folder.url.path, with: "<folder>")
    }

    // MARK: - integer(_:in:)

    @Test(
        "integer(_:in: 1...10)",
        arguments: [
            ("n = 3", "3"),
            ("n = 1", "1"),
            ("n = 10", "10"),
            ("", "nil"),
            ("n = 0", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not 0"),
            ("n = 11", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not 11"),
            ("n = -4", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not -4"),
            ("n = 2.0", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not a float"),
            ("n = \"3\"", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not a string"),
            ("n = true", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not a boolean"),
            ("n = [3]", "2:1: 'n' in [[t]] #1 must be an integer from 1 to 10, not an array"),
            ("x = 1\n  n = 12", "3:3: 'n' in [[t]] #1 must be an integer from 1 to 10, not 12"),
        ])
    func integerInClosedRange(body: String, expected: String) throws {
        #expect(try outcome(body) { table throws(ConfigError) in try table.integer("n", in: 1...10) } == expected)
    }

    @Test(
        "integer(_:in: N...)",
        arguments: [
            ("n = 0", 0, "0"),
            ("n = 9223372036854775807", 0, "9223372036854775807"),
            ("n = -1", 0, "2:1: 'n' in [[t]] #1 must be a non-negative integer, not -1"),
            ("n = 1.5", 0, "2:1: 'n' in [[t]] #1 must be a non-negative integer, not a float"),
            ("n = 1", 1, "1"),
            ("n = 0", 1, "2:1: 'n' in [[t]] #1 must be a positive integer, not 0"),
            ("n = \"1\"", 1, "2:1: 'n' in [[t]] #1 must be a positive integer, not a string"),
            ("n = 5", 5, "5"),
            ("n = 4", 5, "2:1: 'n' in [[t]] #1 must be an integer of at least 5, not 4"),
            ("", 5, "nil"),
        ])
    func integerFrom(body: String, lower: Int, expected: String) throws {
        #expect(try outcome(body) { table throws(ConfigError) in try table.integer("n", in: lower...) } == expected)
    }

    // MARK: - choice

    @Test(
        "choice(_:_:) maps the allowed words, in the order given",
        arguments: [
            ("c = \"none\"", "0"),
            ("c = \"holm\"", "1"),
            ("c = \"bh\"", "2"),
            ("", "nil"),
            ("c = \"fdr\"", "2:1: 'c' in [[t]] #1 must be \"none\", \"holm\" or \"bh\", not \"fdr\""),
            ("c = \"HOLM\"", "2:1: 'c' in [[t]] #1 must be \"none\", \"holm\" or \"bh\", not \"HOLM\""),
            ("c = \"\"", "2:1: 'c' in [[t]] #1 must be \"none\", \"holm\" or \"bh\", not \"\""),
            ("c = 3", "2:1: 'c' in [[t]] #1 must be \"none\", \"holm\" or \"bh\", not an integer"),
            ("[t.sub]\nc = \"x\"", "3:1: 'c' in [[t]] #1.sub must be \"none\", \"holm\" or \"bh\", not \"x\""),
        ])
    func choiceOfPairs(body: String, expected: String) throws {
        #expect(
            try outcome(body) { table throws(ConfigError) in
                let read = try table.table("sub") ?? table
                return try read.choice("c", ["none": 0, "holm": 1, "bh": 2])
            } == expected)
    }

    @Test(
        "choice(_:as:) reads a case of a String enum, listing all cases when wrong",
        arguments: [
            ("c = \"green\"", "green"),
            ("c = \"red\"", "red"),
            ("", "nil"),
            ("c = \"blue\"", "2:1: 'c' in [[t]] #1 must be \"red\" or \"green\", not \"blue\""),
            ("c = false", "2:1: 'c' in [[t]] #1 must be \"red\" or \"green\", not a boolean"),
        ])
    func choiceOfEnum(body: String, expected: String) throws {
        #expect(try outcome(body) { table throws(ConfigError) in try table.choice("c", as: ConfigTableTestColor.self) } == expected)
    }

    // MARK: - delimiter(_:)

    @Test(
        "delimiter(): one ASCII character, not a quote, not a line break",
        arguments: [
            (#"delimiter = ";""#, "59"),
            (#"delimiter = ",""#, "44"),
            (#"delimiter = "\t""#, "9"),
            (#"delimiter = "|""#, "124"),
            (#"delimiter = "'""#, "39"),
            (#"delimiter = " ""#, "32"),
            ("", "nil"),
            (#"delimiter = ";;""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = """#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = "\"""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = "\n""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = "\r""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = "\r\n""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            (#"delimiter = "§""#, "2:1: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            ("name = \"x\"\n    delimiter = \"ab\"", "3:5: 'delimiter' in [[t]] #1 must be one ASCII character other than a quote or a line break"),
            ("delimiter = 9", "2:1: 'delimiter' in [[t]] #1 must be a string, not an integer"),
        ])
    func delimiter(body: String, expected: String) throws {
        #expect(try outcome(body) { table throws(ConfigError) in try table.delimiter() } == expected)
    }

    @Test(
        "Delimiter is the rule the accessor and `mlrun snapshot` share",
        arguments: [
            (",", UInt8?(44)), ("\t", 9), (";", 59), ("\"", nil), ("\n", nil), ("\r", nil), ("\r\n", nil), ("", nil), ("ab", nil), ("é", nil),
        ])
    func delimiterRule(text: String, byte: UInt8?) {
        #expect(Delimiter(text)?.byte == byte)
    }

    // MARK: - path(_:relativeTo:expecting:)

    @Test(
        "path(_:relativeTo:expecting:) resolves against the config's folder",
        arguments: [
            ("f = \"data.csv\"", ConfigPath.Expectation.readableFile, "<folder>/data.csv (data.csv) at 2:1"),
            ("f = \"./sub/../data.csv\"", .readableFile, "<folder>/data.csv (./sub/../data.csv) at 2:1"),
            ("f = \"nope.csv\"", .readableFile, "2:1: 'f' in [[t]] #1: no readable file <folder>/nope.csv"),
            ("f = \"sub/nope.csv\"", .mayBeMissing, "<folder>/sub/nope.csv (sub/nope.csv) at 2:1"),
            ("f = \"sub\"", .folder, "<folder>/sub (sub) at 2:1"),
            ("f = \"data.csv\"", .folder, "2:1: 'f' in [[t]] #1: no folder <folder>/data.csv"),
            ("f = \"nope\"", .folder, "2:1: 'f' in [[t]] #1: no folder <folder>/nope"),
            ("f = 3", .readableFile, "2:1: 'f' in [[t]] #1 must be a string, not an integer"),
            ("", .readableFile, "nil"),
            ("x = 1\nf = \"missing.csv\"", .readableFile, "3:1: 'f' in [[t]] #1: no readable file <folder>/missing.csv"),
        ])
    func path(body: String, expectation: ConfigPath.Expectation, expected: String) throws {
        #expect(
            try outcome(body) { table throws(ConfigError) in
                try table.path("f", relativeTo: folder.url, expecting: expectation)
                    .map { "\($0.url.path) (\($0.written)) at \($0.position.line):\($0.position.column)" }
            }.replacingOccurrences(of: folder.url.path, with: "<folder>") == expected)
    }

    @Test func requiredPathNamesTheMissingKeyAtTheTable() throws {
        #expect(
            try outcome("x = 1") { table throws(ConfigError) in try table.requiredPath("f", relativeTo: folder.url) }
                == "1:1: [[t]] #1 needs 'f' (a string)")
        #expect(
            try outcome("f = \"data.csv\"") { table throws(ConfigError) in try table.requiredPath("f", relativeTo: folder.url).written }
                == "data.csv")
    }

    @Test func anAbsolutePathIsTakenAsWritten() throws {
        let absolute = folder.url.appendingPathComponent("data.csv").path
        let path = try #require(try table("f = \"\(absolute)\"").path("f", relativeTo: URL(fileURLWithPath: "/elsewhere")))
        #expect(path.url.path == absolute)
        #expect(path.written == absolute)
    }

    // MARK: - position(of:)

    @Test(
        "position(of:): the key's, or the table's when it is absent",
        arguments: [
            ("a = 1\n  b = 2", "a", "2:1"),
            ("a = 1\n  b = 2", "b", "3:3"),
            ("a = 1\n  b = 2", "c", "1:1"),
            ("a = { x = 1 }", "a", "2:1"),
        ])
    func position(body: String, key: String, expected: String) throws {
        let position = try table(body).position(of: key)
        #expect("\(position.line):\(position.column)" == expected)
        #expect(position.file == folder.url.appendingPathComponent("runner.toml").path)
    }

    // MARK: - rejectUnknownKeys(allowed:)

    @Test(
        "rejectUnknownKeys reports every unknown key, each at its position",
        arguments: [
            ("name = \"a\"", [String]()),
            ("name = \"a\"\ncolour = 1", ["3:1: unknown key 'colour' in [[t]] #1 (allowed: name, paths)"]),
            (
                "colour = 1\nname = \"a\"\n  size = 2\nshape = 3",
                [
                    "2:1: unknown key 'colour' in [[t]] #1 (allowed: name, paths)",
                    "4:3: unknown key 'size' in [[t]] #1",
                    "5:1: unknown key 'shape' in [[t]] #1",
                ]
            ),
            (
                "name = \"a\"\nx = { k = 1 }\n[t.y]\nz = 2",
                [
                    "3:1: unknown key 'x' in [[t]] #1 (allowed: name, paths)",
                    "4:1: unknown key 'y' in [[t]] #1",
                ]
            ),
        ])
    func unknownKeys(body: String, expected: [String]) throws {
        let table = try table(body)
        do throws(ConfigError) {
            try table.rejectUnknownKeys(allowed: ["name", "paths"])
            #expect(expected.isEmpty)
        } catch {
            #expect(([error] + error.further).map(rendered) == expected)
            #expect(error.further.allSatisfy { $0.further.isEmpty })
        }
    }

    @Test func unknownKeysOfAnInlineTableAreAtTheirColumns() throws {
        let sub = try #require(try table("m = { a = 1, zz = 2, yy = 3 }").table("m"))
        do throws(ConfigError) {
            try sub.rejectUnknownKeys(allowed: ["a"])
            Issue.record("accepted unknown keys")
        } catch {
            #expect(
                ([error] + error.further).map(rendered) == [
                    "2:14: unknown key 'zz' in [[t]] #1.m (allowed: a)",
                    "2:22: unknown key 'yy' in [[t]] #1.m",
                ])
        }
    }

    @Test func severalUnknownKeysRenderOneLineEach() throws {
        let table = try table("a = 1\nb = 2")
        do throws(ConfigError) {
            try table.rejectUnknownKeys(allowed: ["name"])
            Issue.record("accepted unknown keys")
        } catch {
            let file = folder.url.appendingPathComponent("runner.toml").path
            #expect(
                error.description == """
                    \(file):2:1: error: unknown key 'a' in [[t]] #1 (allowed: name)
                    \(file):3:1: error: unknown key 'b' in [[t]] #1
                    """)
        }
    }

    @Test func tablesInAnArrayOfATableAreNamedByTheirIndex() throws {
        let table = try table("markers = [\"slow\", { name = \"device\", colour = 1 }]")
        do throws(ConfigError) {
            _ = try table.markers()
            Issue.record("accepted an unknown key")
        } catch {
            #expect(rendered(error) == "2:39: unknown key 'colour' in [[t]] #1.markers[1] (allowed: name, kwargs)")
        }
    }
}
