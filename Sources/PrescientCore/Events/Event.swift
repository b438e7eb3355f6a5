/// One unit of user activity: a request or a session, as read from any input format.
///
/// Invariants after parsing: `user`, `region` and `feature` are non-empty, `region` is one of the
/// configured regions, `durationSeconds` ≥ 0, `bytes` ≥ 0, and the optional resource fields are
/// finite and ≥ 0 when present.
public struct Event: Sendable, Hashable {
    /// When the activity started, UTC.
    public var time: Timestamp
    /// Who: a stable user id (account, customer, client host or IP).
    public var user: String
    /// Which configured region the user was served from or is located in.
    public var region: String
    /// What: a feature name (from a feature field or derived from a request path).
    public var feature: String
    /// On what: the device class.
    public var device: DeviceClass
    /// How long the activity lasted, seconds (0 for a single request).
    public var durationSeconds: Double
    /// Response or transfer size, bytes.
    public var bytes: Int64
    /// Resource figures the source carried, if any (kept as given).
    public var resources: ResourceUsage
    /// An id for idempotent re-delivery, when the source has one.
    public var id: String?
    /// The request path (with its query), when the source has one: the content asked for, which
    /// the cache warmer counts.
    public var path: String?

    public init(time: Timestamp, user: String, region: String, feature: String, device: DeviceClass = .unknown,
                durationSeconds: Double = 0, bytes: Int64 = 0, resources: ResourceUsage = .init(), id: String? = nil, path: String? = nil) {
        self.time = time; self.user = user; self.region = region; self.feature = feature; self.device = device
        self.durationSeconds = durationSeconds; self.bytes = bytes; self.resources = resources; self.id = id; self.path = path
    }
}

/// Optional measured resource use of one event, kept when the input has it.
public struct ResourceUsage: Sendable, Hashable {
    /// CPU time consumed, milliseconds.
    public var cpuMilliseconds: Double?
    /// Peak or average resident memory while active, MiB.
    public var memoryMiB: Double?

    public init(cpuMilliseconds: Double? = nil, memoryMiB: Double? = nil) {
        self.cpuMilliseconds = cpuMilliseconds; self.memoryMiB = memoryMiB
    }

    public var isEmpty: Bool { cpuMilliseconds == nil && memoryMiB == nil }
}

/// The class of device an event came from.
public enum DeviceClass: String, Sendable, Hashable, CaseIterable, Codable {
    case mobile, desktop, tablet, bot, tv, unknown

    /// Position in `allCases` (without building the array).
    @inline(__always)
    public var index: Int {
        switch self {
        case .mobile: 0
        case .desktop: 1
        case .tablet: 2
        case .bot: 3
        case .tv: 4
        case .unknown: 5
        }
    }

    /// Parses a device name case-insensitively; also accepts common synonyms (phone, pc, crawler).
    public init?(name: some StringProtocol) {
        // Fast path: the canonical spelling, without allocating a lowercased copy.
        if let exact = DeviceClass(rawValue: String(name)) { self = exact; return }
        switch name.lowercased() {
        case "mobile", "phone", "smartphone": self = .mobile
        case "desktop", "pc", "laptop", "computer": self = .desktop
        case "tablet": self = .tablet
        case "bot", "crawler", "spider": self = .bot
        case "tv", "smarttv", "console": self = .tv
        case "unknown", "", "-": self = .unknown
        default: return nil
        }
    }
}

/// The resources Prescient forecasts and provisions.
public enum Resource: String, Sendable, Hashable, CaseIterable, Codable {
    case cpu, memory, network

    /// Position in `allCases` (arrays indexed by resource avoid hashing on hot paths).
    public var index: Int {
        switch self {
        case .cpu: 0
        case .memory: 1
        case .network: 2
        }
    }
}
