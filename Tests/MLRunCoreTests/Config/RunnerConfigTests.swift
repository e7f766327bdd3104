import Foundation
import MLRunCore
import Testing

@Suite struct RunnerConfigTests {
    let file = URL(fileURLWithPath: "/project/runner.toml")

    func load(_ text: String, tables: Set<String> = ["command"]) throws(ConfigError) -> RunnerConfig {
        try RunnerConfig.parse(text, file: file, pluginTables: tables)
    }

    func error(_ text: String, tables: Set<String> = ["command"]) -> ConfigError? {
        do {
            _ = try load(text, tables: tables)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsRunnerSettingsAndSuites() throws {
        let config = try load(
            """
            [runner]
            strict_markers = true
            timeout = 2.5
            [runner.markers]
            nightly = "nightly only"
            device = "needs a device"

            [[command]]
            name = "a"
            run = ["python3", "a.py"]

            [[command]]
            name = "b"
            run = ["./b"]
            """)
        #expect(config.strictMarkers)
        #expect(config.timeout == 2.5)
        #expect(config.markers.map(\.name) == ["nightly", "device"])
        #expect(config.suiteTables["command"]?.count == 2)
        #expect(try config.suiteTables["command"]?[1].requiredString("name") == "b")
        #expect(config.directory.path == "/project")
    }

    @Test func tomlSyntaxErrorsCarryLineAndColumn() {
        let e = error("[runner]\ntimeout = = 3\n")
        #expect(e?.position?.line == 2)
        #expect(e?.position?.column == 11)
        #expect(e?.description.hasPrefix("/project/runner.toml:2:11: error: invalid TOML") == true)
    }

    @Test(
        arguments: [
            // (config, line, column, message fragment)
            ("[runner]\nstrict_markers = true\ncolour = 1\n", 3, 1, "unknown key 'colour' in [runner]"),
            ("[runner]\ntimeout = \"ten\"\n", 2, 1, "'timeout' in [runner] must be a number, not a string"),
            ("[[data]]\nname = \"a\"\n", 1, 1, "unknown table or key 'data'"),
            ("title = \"x\"\n", 1, 1, "unknown table or key 'title'"),
            (
                "[[command]]\nname = \"a\"\nrun = [\"x\"]\n[[command]]\nname = \"a\"\nrun = [\"y\"]\n", 5, 1,
                "suite name 'a' is used twice (first at line 2)"
            ),
            ("[runner.markers]\nnightly = 3\n", 2, 1, "marker 'nightly' needs a description string"),
            ("command = 3\n", 1, 1, "'command' must be an array of tables"),
        ] as [(String, Int, Int, String)])
    func invalidConfigsNameTheSpot(text: String, line: Int, column: Int, fragment: String) {
        let e = error(text)
        #expect(e?.position?.line == line, "\(String(describing: e))")
        #expect(e?.position?.column == column, "\(String(describing: e))")
        #expect(e?.message.contains(fragment) == true, "\(String(describing: e))")
    }

    @Test func accessorsReportPositionsInsideInlineTablesAndArrays() throws {
        let config = try load(
            """
            [[command]]
            name = "a"
            run = ["python3", 3]
            env = { A = "1", B = 2 }
            markers = ["slow", { name = "device", kwargs = { serial = "1", n = 2 } }, 7]
            """)
        let table = try #require(config.suiteTables["command"]?.first)
        do {
            _ = try table.stringArray("run")
            Issue.record("a number in 'run' was accepted")
        } catch {
            #expect(error.position?.line == 3)
            #expect(error.position?.column == 19)
            #expect(error.message == "'run' in [[command]] #1 must hold strings only, not an integer")
        }
        do {
            _ = try table.markers()
            Issue.record("a number among the markers was accepted")
        } catch {
            #expect(error.position?.line == 5)
            #expect(error.position?.column == 75)
            #expect(error.message == "a marker in [[command]] #1 must be a non-empty string or { name = …, kwargs = { … } }, not an integer")
        }
        let env = try #require(try table.table("env"))
        #expect(env["B"]?.position.line == 4)
        #expect(env["B"]?.position.column == 18)
    }

    @Test func unknownKeysInTheSecondArrayTableNameItsLine() throws {
        let config = try load("[[command]]\nname = \"a\"\nrun = [\"x\"]\n\n[[command]]\nname = \"b\"\nrun = [\"y\"]\n  extra = 1\n")
        let second = try #require(config.suiteTables["command"]?[1])
        do {
            try second.rejectUnknownKeys(allowed: ["name", "run"])
            Issue.record("accepted an unknown key")
        } catch {
            #expect(error.position?.line == 8)
            #expect(error.position?.column == 3)
            #expect(error.message.hasPrefix("unknown key 'extra' in [[command]] #2"))
        }
    }

    @Test func markersWithKeywordArguments() throws {
        let config = try load(
            """
            [[command]]
            name = "a"
            run = ["x"]
            markers = ["slow", { name = "device", kwargs = { serial = "123", n = 2, fast = true } }]
            """)
        let markers = try #require(config.suiteTables["command"]?.first).markers()
        #expect(markers == [Marker("slow"), Marker("device", kwargs: ["serial": .string("123"), "n": .int(2), "fast": .bool(true)])])
        #expect(markers[1].description == "device(fast=True, n=2, serial='123')")
    }

    @Test func suiteNamesMustBeUsableInIds() throws {
        let config = try load("[[command]]\nname = \"a::b\"\nrun = [\"x\"]\n")
        #expect(throws: ConfigError.self) { try config.suiteTables["command"]![0].suiteDeclaration() }
    }

    @Test func badPathGlobsAreConfigErrorsAtTheirColumn() throws {
        let config = try load("[[command]]\nname = \"a\"\nrun = [\"x\"]\npaths = [\"src/**/*.py\", \"data/[abc\"]\n")
        do {
            _ = try config.suiteTables["command"]![0].suiteDeclaration()
            Issue.record("a malformed glob was accepted")
        } catch {
            #expect(error.position?.line == 4)
            // The element starts at column 25 (its quote); the '[' is the glob's 6th character.
            #expect(error.position?.column == 31, "\(error)")
            #expect(error.message.hasPrefix("bad glob 'data/[abc' in 'paths' of [[command]] #1"))
        }
    }

    @Test func strictMarkersCheckNamesTheMarker() throws {
        let config = try load("[runner]\nstrict_markers = true\n[[command]]\nname = \"a\"\nrun = [\"x\"]\nmarkers = [\"unit\", \"nightly\"]\n")
        do {
            try config.checkSuiteMarkers(against: MarkerRegistry(declared: []))
            Issue.record("an undeclared marker passed")
        } catch {
            #expect(error.position?.line == 6)
            #expect(error.position?.column == 20)
            #expect(error.message.contains("'nightly'"))
        }
        try config.checkSuiteMarkers(against: MarkerRegistry(declared: [("nightly", "n")]))
    }

    @Test func locatesTheConfigInParentFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-locate-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Data("".utf8).write(to: root.appendingPathComponent("runner.toml"))
        defer { try? FileManager.default.removeItem(at: root) }
        let found = try RunnerConfig.locate(explicit: nil, from: nested)
        #expect(found.standardizedFileURL.path == root.appendingPathComponent("runner.toml").standardizedFileURL.path)
        #expect(throws: ConfigError.self) { try RunnerConfig.locate(explicit: "missing.toml", from: nested) }
    }

    @Test(
        "[runner.groups] max_parallel is an integer from 1 to 1000000",
        arguments: [
            ("gpu_box = { max_parallel = 2 }", "2"),
            ("gpu_box = { max_parallel = 1000000 }", "1000000"),
            ("gpu_box = { max_parallel = 0 }", "2:13: 'max_parallel' in [runner].groups.gpu_box must be an integer from 1 to 1000000, not 0"),
            ("gpu_box = { max_parallel = 2.0 }", "2:13: 'max_parallel' in [runner].groups.gpu_box must be an integer from 1 to 1000000, not a float"),
            (
                "gpu_box = { max_parallel = \"2\" }",
                "2:13: 'max_parallel' in [runner].groups.gpu_box must be an integer from 1 to 1000000, not a string"
            ),
            ("gpu_box = {}", "2:1: group 'gpu_box' needs max_parallel, a whole number of at least 1"),
            (
                "gpu_box = { max_parallel = 2, size = 1, colour = 2 }",
                "2:31: unknown key 'size' in [runner].groups.gpu_box (allowed: max_parallel)\n2:41: unknown key 'colour' in [runner].groups.gpu_box"
            ),
        ])
    func groupLimits(group: String, expected: String) {
        do throws(ConfigError) {
            let config = try load("[runner.groups]\n\(group)\n")
            #expect(config.groups["gpu_box"].map(String.init) == expected)
            #expect(config.markers.contains { $0.name == "gpu_box" })
        } catch {
            let lines = ([error] + error.further).map { "\($0.position?.line ?? 0):\($0.position?.column ?? 0): \($0.message)" }
            #expect(lines.joined(separator: "\n") == expected)
        }
    }
}
