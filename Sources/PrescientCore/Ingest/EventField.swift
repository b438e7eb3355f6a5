/// The fields Prescient reads from a record, by canonical name.
///
/// A source names its fields as it likes; `FieldMapping` says which source name feeds which field.
public enum EventField: Int, Sendable, Hashable, CaseIterable {
    case ts, user, region, feature, device, duration, bytes, cpuMs, memMB, id
    /// A country (ISO 3166 alpha-2 code or English name), used for the region when `region` is absent.
    case country
    /// A client host name or IP address, used for the region when `region` and `country` are absent.
    case client
    /// An HTTP user agent, used for the device class when `device` is absent.
    case agent
    /// A request path or URL, used for the feature when `feature` is absent.
    case path

    /// The name used in `--map` and in canonical JSON Lines.
    public var name: String {
        switch self {
        case .ts: "ts"
        case .user: "user"
        case .region: "region"
        case .feature: "feature"
        case .device: "device"
        case .duration: "duration_s"
        case .bytes: "bytes"
        case .cpuMs: "cpu_ms"
        case .memMB: "mem_mb"
        case .id: "id"
        case .country: "country"
        case .client: "client"
        case .agent: "agent"
        case .path: "path"
        }
    }

    /// Source names recognised without a `--map` entry, first match wins.
    public var defaultSourceNames: [String] {
        switch self {
        case .ts: ["ts", "time", "timestamp"]
        case .user: ["user", "user_id"]
        case .region: ["region"]
        case .feature: ["feature"]
        case .device: ["device"]
        case .duration: ["duration_s", "duration"]
        case .bytes: ["bytes"]
        case .cpuMs: ["cpu_ms"]
        case .memMB: ["mem_mb", "memory_mib"]
        case .id: ["id", "event_id"]
        case .country: ["country"]
        case .client: ["client", "ip"]
        case .agent: ["agent", "user_agent", "useragent"]
        case .path: ["path", "url"]
        }
    }

    public init?(name: String) {
        guard let f = EventField.allCases.first(where: { $0.name == name || ($0 == .duration && name == "duration") || ($0 == .memMB && name == "memory_mib") }) else { return nil }
        self = f
    }
}

/// Which source field (JSON key or CSV column name) feeds each `EventField`.
///
/// Built from `--map field=source,…`: an explicit entry wins, and a source name claimed explicitly is
/// not also used as another field's default (`--map user=host` keeps `host` out of the defaults).
public struct FieldMapping: Sendable, Hashable {
    /// For each field (indexed by `EventField.rawValue`), the source names to look for, in order.
    public private(set) var sourceNames: [[String]]

    public init(explicit: [EventField: String] = [:]) {
        let claimed = Set(explicit.values)
        sourceNames = EventField.allCases.map { field in
            if let s = explicit[field] { return [s] }
            return field.defaultSourceNames.filter { !claimed.contains($0) }
        }
    }

    /// Parses `user=host,ts=time,…` (the `--map` syntax).
    public init(parsing spec: String) throws(FieldError) {
        var explicit: [EventField: String] = [:]
        for part in spec.split(separator: ",", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, !kv[1].isEmpty else {
                throw FieldError("--map", "'\(part)' is not field=source")
            }
            let key = kv[0].trimmingBlanks
            guard let field = EventField(name: key) else {
                throw FieldError("--map", "unknown field '\(key)' (fields: \(EventField.allCases.map(\.name).joined(separator: ", ")))")
            }
            guard explicit[field] == nil else { throw FieldError("--map", "field '\(key)' mapped twice") }
            explicit[field] = kv[1].trimmingBlanks
        }
        self.init(explicit: explicit)
    }

    /// The field a source name feeds, if any.
    public func field(forSourceName name: some StringProtocol) -> EventField? {
        for field in EventField.allCases where sourceNames[field.rawValue].contains(where: { $0 == name }) {
            return field
        }
        return nil
    }
}
