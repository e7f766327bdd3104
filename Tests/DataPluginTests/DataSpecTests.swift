import Foundation
import MLRunCore
import Testing

@testable import DataPlugin

/// Config errors of `[[data]]` tables name the line and column of the culprit.
@Suite struct DataSpecTests {
    /// The file the tables read.
    static let file = "id,x\n1,2\n"
    /// A table with an expectation of every kind.
    static let everyKind = """
        [[data]]
        name = "train"
        file = "t.csv"
        [data.columns.x]
        type = "float"
        min = 0
        max = 1
        nullable = false
        unique = true
        [data.columns.id]
        [data.table]
        unique = [["id", "x"]]
        leakage = { key = "id", split = "x" }
        min_rows = 1
        columns_exactly = true
        """
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlrun-dataspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.file.utf8).write(to: folder.appendingPathComponent("t.csv"))
    }

    private func suites(_ toml: String) throws -> [any Suite] {
        let file = folder.appendingPathComponent("runner.toml")
        try Data(toml.utf8).write(to: file)
        let config = try RunnerConfig.load(file, pluginTables: ["data"])
        return try DataPlugin().makeSuites(
            from: config.suiteTables["data"] ?? [],
            environment: PluginEnvironment(configFile: file, runSeed: 1))
    }

    private func error(_ toml: String) -> String? {
        do {
            _ = try suites(toml)
            return nil
        } catch let error as ConfigError {
            return error.description.replacingOccurrences(of: folder.path + "/", with: "")
        } catch {
            return "\(error)"
        }
    }

    @Test func testsFollowTheConfigAndIdsReadWell() async throws {
        let made = try suites(Self.everyKind)
        let suite = try #require(made.first)
        let names = try await suite.collect().map(\.name)
        #expect(
            names == [
                "x::type", "x::not_null", "x::between", "x::unique", "id::exists", "rows", "id,x::unique",
                "id::leakage", "columns_exactly",
            ])
        #expect(suite.paths == ["t.csv"])
    }

    @Test(arguments: [
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\nfiel = 1\n",
            "runner.toml:4:1: error: unknown key 'fiel' in [[data]] #1 (allowed: name, markers, paths, file, format, delimiter, null_values, key, columns, table)"
        ),
        ("[[data]]\nname = \"d\"\nfile = \"nope.csv\"\n", "runner.toml:3:1: error: 'file' in [[data]] #1: no readable file nope.csv"),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\ntype = \"number\"\n",
            "runner.toml:5:1: error: 'type' in [[data]] #1.columns.x must be \"int\", \"float\", \"string\", \"bool\" or \"datetime\", not \"number\""
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\nmin = 0\n",
            "runner.toml:5:1: error: 'min' needs a column of type int, float or datetime; 'x' is string (set 'type')"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\ntype = \"int\"\nin = [1, \"two\"]\n",
            "runner.toml:6:10: error: 'two' in 'in' of column 'x' is not a valid int"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\nregex = \"([a-z\"\n",
            "runner.toml:5:1: error: 'regex' of column 'x' does not compile: ([a-z"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nleakage = { key = \"id\" }\n",
            "runner.toml:5:1: error: 'leakage' needs exactly one of 'split' (a column of this file) or 'against' (another file)"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\ntype = \"int\"\nstrictly = true\n",
            "runner.toml:6:1: error: 'strictly' of column 'x' needs 'increasing' or 'decreasing'"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\nunique = true\n[data.table]\nunique = [[\"x\"]]\n",
            "runner.toml:1:1: error: [[data]] #1 defines the test 'd::x::unique' twice"
        ),
    ])
    func badTablesNameTheirLine(toml: String, expected: String) {
        let message = error(toml)
        #expect(message == expected)
    }

    /// What changed when the accessors replaced each plugin's own checks.
    @Test(arguments: [
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\nfiel = 1\n  colour = 2\n",
            """
            runner.toml:4:1: error: unknown key 'fiel' in [[data]] #1 (allowed: name, markers, paths, file, format, delimiter, null_values, key, columns, table)
            runner.toml:5:3: error: unknown key 'colour' in [[data]] #1
            """
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\nformat = \"parquet\"\n",
            "runner.toml:4:1: error: 'format' in [[data]] #1 must be \"csv\" or \"jsonl\", not \"parquet\""
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\ndelimiter = \"\\n\"\n",
            "runner.toml:4:1: error: 'delimiter' in [[data]] #1 must be one ASCII character other than a quote or a line break"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nmin_rows = -1\n",
            "runner.toml:5:1: error: 'min_rows' in [[data]] #1.table must be a non-negative integer, not -1"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nmax_rows = 2.5\n",
            "runner.toml:5:1: error: 'max_rows' in [[data]] #1.table must be a non-negative integer, not a float"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nmin_rows = 3\nmax_rows = 2\n",
            "runner.toml:6:1: error: 'min_rows' (3) is above 'max_rows' (2)"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\nmin_classes = 0\n",
            "runner.toml:5:1: error: 'min_classes' in [[data]] #1.columns.x must be a positive integer, not 0"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.columns.x]\ntype = \"int\"\nmax_length = 3\n",
            "runner.toml:6:1: error: 'min_length'/'max_length' need a string column; 'x' is int"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nleakage = { key = \"id\", against = \"other.csv\" }\n",
            "runner.toml:5:25: error: 'against' in [[data]] #1.table.leakage: no readable file other.csv"
        ),
        (
            "[[data]]\nname = \"d\"\nfile = \"t.csv\"\n[data.table]\nleakage = [{ key = \"id\", split = \"x\", colour = 1 }]\n",
            "runner.toml:5:39: error: unknown key 'colour' in [[data]] #1.table.leakage[0] (allowed: key, split, against)"
        ),
    ])
    func unifiedChecks(toml: String, expected: String) {
        #expect(error(toml) == expected)
    }
}
