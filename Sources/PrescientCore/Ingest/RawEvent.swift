/// A record as read from one input line, before regions, devices and features are resolved.
///
/// Format parsers (JSON Lines, CSV, access logs) fill what their line carries; `EventNormalizer`
/// turns it into an `Event` or rejects it. `labels` says how the source spells each field, so a
/// rejection names what the user sees in the file.
public struct RawEvent: Sendable, Hashable {
    public var time: Timestamp?
    public var user: String?
    public var region: String?
    public var feature: String?
    public var device: String?
    public var durationSeconds: Double?
    public var bytes: Int64?
    public var cpuMilliseconds: Double?
    public var memoryMiB: Double?
    public var id: String?
    public var country: String?
    public var client: String?
    public var agent: String?
    public var path: String?

    public init() {}
}

/// How a source names each `EventField`, for messages (indexed by `EventField.rawValue`).
public struct FieldLabels: Sendable, Hashable {
    public var names: [String]
    public init(_ names: [String]) { self.names = names }
    public init(mapping: FieldMapping) { names = EventField.allCases.map { mapping.sourceNames[$0.rawValue].first ?? $0.name } }
    public subscript(_ f: EventField) -> String { names[f.rawValue] }
    public static let canonical = FieldLabels(EventField.allCases.map(\.name))
}
