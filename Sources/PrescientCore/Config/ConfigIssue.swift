/// One mistake in a configuration file, rendered as `file:line: path: message`.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line (0 when the mistake is about something missing from the whole file).
    public var line: Int
    /// Where in the document: `regions[1].time_zone`.
    public var path: String
    public var message: String
    /// The file name, filled in by whoever read the file.
    public var source: String

    public init(line: Int, path: String, message: String, source: String = "config") {
        self.line = line; self.path = path; self.message = message; self.source = source
    }

    public var description: String {
        "\(source):\(line > 0 ? "\(line)" : "-"): \(path.isEmpty ? "(document)" : path): \(message)"
    }
}

/// All the mistakes found in one configuration file.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]
    public init(_ issues: [ConfigIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
