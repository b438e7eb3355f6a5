import Foundation
import PrescientCore

/// Reads a configuration file: YAML text → `ConfigNode` → validated `PrescientConfig`.
public enum ConfigLoader {
    /// Loads `path`, or returns the defaults when `path` is nil.
    ///
    /// - Throws: `ConfigErrors` naming the file, line and key of every mistake.
    public static func load(path: String?) throws(ConfigErrors) -> PrescientConfig {
        guard let path else { return .default }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigIssue(line: 0, path: "", message: "cannot read the file", source: path)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigIssue(line: 0, path: "", message: "not valid UTF-8", source: path)])
        }
        return try load(text: text, source: path)
    }

    public static func load(text: String, source: String = "config") throws(ConfigErrors) -> PrescientConfig {
        let root = try YAMLConfigParser.parse(text, source: source)
        return try PrescientConfig.decode(root, source: source, isKnownTimeZone: isKnownTimeZone)
    }

    /// True for IANA names the system's tz database knows (and `UTC`).
    public static func isKnownTimeZone(_ name: String) -> Bool {
        name == "UTC" || TimeZone(identifier: name) != nil
    }
}
