import Foundation
import Subprocess
import SystemPackage

/// How a suite's program is started for one protocol command (`discover` or `run`), or a
/// model program as its argv stands.
///
/// The program runs in `directory`, in a session of its own (so killing its process group
/// reaches its children, and the terminal's Ctrl-C reaches mlrun only), with `environment`
/// added to mlrun's. A program named with a `/` is resolved against `directory`; a bare
/// name is looked up on `PATH`.
package struct ProgramLaunch: Sendable {
    package var argv: [String]
    package var directory: URL
    package var environment: [String: String]

    package init(argv: [String], directory: URL, environment: [String: String]) {
        self.argv = argv
        self.directory = directory
        self.environment = environment
    }

    package var executable: Executable {
        argv[0].contains("/")
            ? .path(FilePath(URL(fileURLWithPath: argv[0], relativeTo: directory).standardizedFileURL.path))
            : .name(argv[0])
    }

    /// The argv after the program, with `command` appended when there is one.
    package func arguments(_ command: String?) -> Arguments {
        Arguments(Array(argv.dropFirst()) + (command.map { [$0] } ?? []))
    }

    package var environmentUpdates: Environment {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        return .inherit.updating(updates)
    }

    package var workingDirectory: FilePath { FilePath(directory.path) }

    package var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        return options
    }
}
