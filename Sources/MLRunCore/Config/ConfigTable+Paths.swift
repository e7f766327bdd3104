import Foundation

extension ConfigTable {
    /// The path written for `key`, relative to `directory` (a plugin's
    /// `environment.configDirectory`), or nil when absent; throws unless it meets `expectation`.
    public func path(_ key: String, relativeTo directory: URL, expecting expectation: ConfigPath.Expectation = .readableFile)
        throws(ConfigError) -> ConfigPath?
    {
        guard let written = try string(key) else { return nil }
        let url = URL(fileURLWithPath: written, relativeTo: directory).standardizedFileURL
        let at = position(of: key)
        switch expectation {
        case .readableFile:
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw ConfigError("'\(key)' in \(displayName): no readable file \(url.path)", at: at)
            }
        case .folder:
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigError("'\(key)' in \(displayName): no folder \(url.path)", at: at)
            }
        case .mayBeMissing:
            break
        }
        return ConfigPath(url: url, written: written, position: at)
    }

    /// As `path(_:relativeTo:expecting:)`, for a key the table must have.
    public func requiredPath(_ key: String, relativeTo directory: URL, expecting expectation: ConfigPath.Expectation = .readableFile)
        throws(ConfigError) -> ConfigPath
    {
        guard let path = try path(key, relativeTo: directory, expecting: expectation) else { throw missing(key, "a string") }
        return path
    }
}
