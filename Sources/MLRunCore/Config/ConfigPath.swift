import Foundation

/// A path written in a config, resolved against the config file's folder.
public struct ConfigPath: Hashable, Sendable {
    /// What must be at the path when the config is read.
    public enum Expectation: Sendable {
        /// A file mlrun can read (a data set, a predictions file).
        case readableFile
        /// A folder (a program's working directory).
        case folder
        /// Nothing yet: a file a run may create (a baseline written by `--update-baselines`).
        case mayBeMissing
    }

    /// The path, absolute and standardized.
    public var url: URL
    /// The path as the config spells it: for messages, and as a literal glob of `paths`.
    public var written: String
    /// Where the key was written.
    public var position: SourcePosition

    public init(url: URL, written: String, position: SourcePosition) {
        self.url = url
        self.written = written
        self.position = position
    }
}
