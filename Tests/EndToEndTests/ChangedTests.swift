import Foundation
import Testing

/// End-to-end: `--changed` / `--changed-since` over real temporary repositories (issue 4).
/// Repositories are built with the `git` program (test setup only); mlrun itself runs with a
/// failing `git` first on `PATH`, which must never be called: it reads git through libgit2.
@Suite struct ChangedTests {
    /// A repository holding a project:
    /// - suite `feat` (paths `src/**/*.py`): tests `a` and `b`;
    /// - suite `loose` (no paths): `always` (no paths of its own), `data` (own path `data/train.csv`).
    struct Repo {
        let root: URL
        let project: URL
        let fakeBin: URL
        var calledMarker: URL { fakeBin.appendingPathComponent("git-was-called") }

        func git(_ args: String...) async throws {
            let git = try #require(findOnPath("git"))
            let result = try await runProcess(
                git, args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + args,
                cwd: root)
            #expect(result.exitCode == 0, "git \(args): \(result)")
        }

        func write(_ path: String, _ text: String) throws { try writeFile(path, in: root, text) }

        /// Runs `mlrun --collect-only --json` with a failing `git` first on PATH; returns the
        /// selected ids, the report's reasons and the process result.
        func select(_ args: [String], cwd: URL? = nil) async throws -> (ids: Set<String>, because: [String: String], result: ProcessResult) {
            let report = root.appendingPathComponent("../plan-\(UUID().uuidString).json").standardizedFileURL
            defer { try? FileManager.default.removeItem(at: report) }
            let path = fakeBin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let result = try await runMLRun(
                args: ["--collect-only", "--json", report.path] + args, cwd: cwd ?? project,
                environment: ["PATH": path])
            #expect(!FileManager.default.fileExists(atPath: calledMarker.path), "mlrun ran the git program")
            guard let data = try? Data(contentsOf: report),
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let tests = json["tests"] as? [[String: Any]]
            else { return ([], [:], result) }
            var because: [String: String] = [:]
            for test in tests { because[test["id"] as! String] = test["selected_because"] as? String }
            return (Set(tests.map { $0["id"] as! String }), because, result)
        }
    }

    /// Makes the repository; `subfolder` puts the project (runner.toml) below the repository root.
    func makeRepo(subfolder: String = "") async throws -> Repo {
        let base = try makeTemporaryDirectory(prefix: "mlrun-changed")
        let root = base.appendingPathComponent("repo")
        let fakeBin = base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try writeFile("git", in: fakeBin, "#!/bin/sh\ntouch \"$(dirname \"$0\")/git-was-called\"\necho 'fake git: must not be called' >&2\nexit 1\n")
        chmod(fakeBin.appendingPathComponent("git").path, 0o755)
        let project = subfolder.isEmpty ? root : root.appendingPathComponent(subfolder)
        let prefix = subfolder.isEmpty ? "" : subfolder + "/"
        let repo = Repo(root: root, project: project, fakeBin: fakeBin)
        try repo.write(
            prefix + "runner.toml",
            """
            [[command]]
            name = "feat"
            run = ["python3", "tests/feat.py"]
            paths = ["src/**/*.py"]

            [[command]]
            name = "loose"
            run = ["python3", "tests/loose.py"]
            """)
        let plugin = { (tests: String) in
            """
            import json, sys
            TESTS = \(tests)
            if sys.argv[1] == "discover":
                for t in TESTS:
                    print(json.dumps(t))
                sys.exit(0)
            for line in iter(sys.stdin.readline, ""):
                tid = line.strip()
                print(json.dumps({"id": tid, "event": "start"}), flush=True)
                print(json.dumps({"id": tid, "outcome": "passed"}), flush=True)
            """
        }
        try repo.write(prefix + "tests/feat.py", plugin(#"[{"id": "a"}, {"id": "b"}]"#))
        try repo.write(prefix + "tests/loose.py", plugin(#"[{"id": "always"}, {"id": "data", "paths": ["data/train.csv"]}]"#))
        try repo.write(prefix + "src/model.py", "W = 1\n")
        try repo.write(prefix + "src/pkg/util.py", "U = 1\n")
        try repo.write(prefix + "data/train.csv", "x,y\n1,2\n")
        try repo.write(prefix + "README.md", "docs\n")
        try repo.write(".gitignore", "\(prefix)src/ignored.py\n__pycache__/\n.mlrun/\n")
        try await repo.git("init", "-q")
        try await repo.git("add", "-A")
        try await repo.git("commit", "-q", "-m", "first")
        return repo
    }

    let everything: Set<String> = ["feat::a", "feat::b", "loose::always", "loose::data"]

    @Test func cleanTreeSelectsOnlyTestsWithoutPaths() async throws {
        let repo = try await makeRepo()
        let (ids, because, result) = try await repo.select(["--changed"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(ids == ["loose::always"])
        #expect(because["loose::always"]?.contains("no paths") == true)
    }

    @Test func unstagedStagedAndUntrackedEdits() async throws {
        let repo = try await makeRepo()
        try repo.write("src/model.py", "W = 2\n")
        var selection = try await repo.select(["--changed"])
        #expect(selection.ids == ["feat::a", "feat::b", "loose::always"])
        #expect(selection.because["feat::a"]?.contains("src/model.py") == true)
        #expect(selection.because["feat::a"]?.contains("'src/**/*.py'") == true)

        try await repo.git("checkout", "-q", "--", "src/model.py")
        try repo.write("data/train.csv", "x,y\n1,3\n")
        try await repo.git("add", "data/train.csv")
        selection = try await repo.select(["--changed"])
        #expect(selection.ids == ["loose::always", "loose::data"], "a staged edit counts")

        try await repo.git("reset", "-q", "--hard")
        try repo.write("src/pkg/deep/new_feature.py", "N = 1\n")
        selection = try await repo.select(["--changed"])
        #expect(selection.ids == ["feat::a", "feat::b", "loose::always"], "an untracked file in an untracked folder counts")
    }

    @Test func ignoredFilesHaveNoEffect() async throws {
        let repo = try await makeRepo()
        try repo.write("src/ignored.py", "I = 1\n")
        let selection = try await repo.select(["--changed"])
        #expect(selection.ids == ["loose::always"])
    }

    @Test func committedEditWithChangedSince() async throws {
        let repo = try await makeRepo()
        try repo.write("src/model.py", "W = 3\n")
        try await repo.git("commit", "-q", "-am", "second")
        #expect(try await repo.select(["--changed"]).ids == ["loose::always"])
        let since = try await repo.select(["--changed-since", "HEAD~1"])
        #expect(since.ids == ["feat::a", "feat::b", "loose::always"])
        #expect(since.because["feat::a"] == "changed file src/model.py (modified) matches its suite's path 'src/**/*.py'")
        #expect(since.because["loose::always"] == "it has no paths, so any change may affect it: always selected")
    }

    @Test func stagedAndCommittedRenamesCountBothPaths() async throws {
        let repo = try await makeRepo()
        try await repo.git("mv", "data/train.csv", "data/train_v2.csv")
        let staged = try await repo.select(["--changed"])
        #expect(staged.ids.contains("loose::data"), "the old path of a staged rename counts: \(staged.result)")
        try await repo.git("commit", "-q", "-m", "rename")
        let committed = try await repo.select(["--changed-since", "HEAD~1"])
        #expect(committed.ids.contains("loose::data"))
        // The new path counts too: a rename into the suite's globs selects it.
        try await repo.git("mv", "README.md", "src/readme_as_code.py")
        let into = try await repo.select(["--changed"])
        #expect(into.ids.contains("feat::a"))
    }

    @Test func deletionMatchedByATestsOwnPaths() async throws {
        let repo = try await makeRepo()
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("data/train.csv"))
        let selection = try await repo.select(["--changed"])
        #expect(selection.ids == ["loose::always", "loose::data"])
        #expect(selection.because["loose::data"]?.contains("data/train.csv") == true)
    }

    @Test func mergeBaseOnADivergedBranch() async throws {
        let repo = try await makeRepo()
        try await repo.git("checkout", "-q", "-b", "feature")
        try repo.write("data/train.csv", "x,y\n9,9\n")
        try await repo.git("commit", "-q", "-am", "feature: new data")
        try await repo.git("checkout", "-q", "main")
        try repo.write("src/model.py", "W = 4\n")
        try await repo.git("commit", "-q", "-am", "main moves on")
        try await repo.git("checkout", "-q", "feature")
        let selection = try await repo.select(["--changed-since", "main"])
        #expect(selection.ids == ["loose::always", "loose::data"], "main's own change after the branch point does not count: \(selection.result)")
    }

    @Test func configEditSelectsEverything() async throws {
        let repo = try await makeRepo()
        let config = repo.root.appendingPathComponent("runner.toml")
        try Data((try String(contentsOf: config, encoding: .utf8) + "\n# touched\n").utf8).write(to: config)
        let selection = try await repo.select(["--changed"])
        #expect(selection.ids == everything)
        #expect(selection.because["feat::b"]?.contains("config file changed") == true)
    }

    @Test func composesWithMarkersAndKeywords() async throws {
        let repo = try await makeRepo()
        try repo.write("src/model.py", "W = 5\n")
        #expect(try await repo.select(["--changed", "-k", "b"]).ids == ["feat::b"])
        #expect(try await repo.select(["--changed", "feat"]).ids == ["feat::a", "feat::b"])
    }

    @Test func projectInASubfolderAndDashC() async throws {
        let repo = try await makeRepo(subfolder: "ml")
        try repo.write("ml/src/model.py", "W = 6\n")
        try repo.write("other/src/model.py", "outside the project\n")
        let fromProject = try await repo.select(["--changed"])
        #expect(fromProject.ids == ["feat::a", "feat::b", "loose::always"], "\(fromProject.result)")
        let deeper = repo.project.appendingPathComponent("src/pkg")
        let fromSubfolder = try await repo.select(["--changed"], cwd: deeper)
        #expect(fromSubfolder.ids == fromProject.ids, "runner.toml is found from a subfolder")
        let elsewhere = try makeTemporaryDirectory()
        let withC = try await repo.select(["--changed", "-c", repo.project.appendingPathComponent("runner.toml").path], cwd: elsewhere)
        #expect(withC.ids == fromProject.ids)
    }

    @Test func unknownRevisionAndNotARepositoryAreUsageErrors() async throws {
        let repo = try await makeRepo()
        let unknown = try await repo.select(["--changed-since", "no-such-branch"])
        #expect(unknown.result.exitCode == 4)
        #expect(unknown.result.stderr.contains("unknown revision 'no-such-branch'"), "\(unknown.result)")

        let plain = try makeTemporaryDirectory(prefix: "mlrun-norepo")
        try writeFile("runner.toml", in: plain, "[[command]]\nname = \"x\"\nrun = [\"python3\", \"p.py\"]\n")
        try writeFile("p.py", in: plain, "import sys\nprint('{\"id\": \"t\"}') if sys.argv[1] == 'discover' else None\n")
        let fake = Repo(root: plain, project: plain, fakeBin: repo.fakeBin)
        let outside = try await fake.select(["--changed"])
        #expect(outside.result.exitCode == 4)
        #expect(outside.result.stderr.contains("not a git repository"), "\(outside.result)")
        #expect(outside.result.stderr.contains(plain.lastPathComponent), "the message names the folder")
    }
}
