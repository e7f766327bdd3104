import Foundation
import Subprocess
import SystemPackage

/// How a suite's program is started for one protocol command (`discover` or `run`).
///
/// The program runs in `directory`, in a session of its own (so killing its process group
/// reaches its children, and the terminal's Ctrl-C reaches mlrun only), with `environment`
/// added to mlrun's. A program named with a `/` is resolved against `directory`; a bare
/// name is looked up on `PATH`.
public struct ProgramLaunch: Sendable {
    public var argv: [String]
    public var directory: URL
    public var environment: [String: String]

    public init(argv: [String], directory: URL, environment: [String: String]) {
        self.argv = argv
        self.directory = directory
        self.environment = environment
    }

    public var executable: Executable {
        argv[0].contains("/")
            ? .path(FilePath(URL(fileURLWithPath: argv[0], relativeTo: directory).standardizedFileURL.path))
            : .name(argv[0])
    }

    public func arguments(_ command: String) -> Arguments {
        Arguments(Array(argv.dropFirst()) + [command])
    }

    public var environmentUpdates: Environment {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        return .inherit.updating(updates)
    }

    public var workingDirectory: FilePath { FilePath(directory.path) }

    public var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        return options
    }
}
