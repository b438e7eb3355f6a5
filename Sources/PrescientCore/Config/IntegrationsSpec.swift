/// Real systems Prescient drives, each optional (absent: not driven).
public struct IntegrationsSpec: Sendable, Hashable {
    public var haproxy: HAProxySpec?
    public var dns: DNSSpec?
    /// Regional HTTP cache base URL per region, for cache warming.
    public var caches: [String: String] = [:]
    /// How the caches are warmed.
    public var warming = WarmingSpec()
    public init() {}
}

public struct HAProxySpec: Sendable, Hashable {
    /// Path of the runtime API socket (`stats socket … level admin`).
    public var socket: String
    /// Map file of user → backend (as HAProxy's configuration names it), rewritten so a reload
    /// keeps runtime changes.
    public var mapFile: String
    /// Backend name of a region = prefix + region name (`region-eu-west`).
    public var backendPrefix = "region-"
    /// A backend with one server per region (named after it) whose weights follow the plan; nil: no weights.
    public var weightsBackend: String?
    /// Seconds after which the whole map is published again even when the plan did not change
    /// (new users get routes; a restarted HAProxy is refilled).
    public var refreshSeconds = 300.0
    public init(socket: String, mapFile: String) { self.socket = socket; self.mapFile = mapFile }
}

public struct DNSSpec: Sendable, Hashable {
    /// Authoritative server address and port.
    public var server: String
    public var port: Int
    public var zone: String
    /// TSIG key name and base64 secret (HMAC-SHA256); the secret may come from the environment
    /// variable named by `keySecretEnv` instead (the CLI reads it), so it need not sit in the file.
    public var keyName: String
    public var keySecret: String?
    public var keySecretEnv: String?
    public var ttl: Int
    /// Entry addresses (IPv4/IPv6) of each region, published as `<region>.<zone>` A/AAAA.
    public var addresses: [String: [String]] = [:]
    public init(server: String, port: Int = 53, zone: String, keyName: String, keySecret: String?, ttl: Int = 30) {
        self.server = server; self.port = port; self.zone = zone; self.keyName = keyName
        self.keySecret = keySecret; self.ttl = ttl
    }
}

/// Cache warming: every `intervalSeconds`, each region's cache gets the keys its users are
/// likely to ask for while a warmed copy is fresh (`WarmPlan`).
public struct WarmingSpec: Sendable, Hashable {
    public var intervalSeconds = 300.0
    /// Warm fetches per second per cache.
    public var ratePerSecond = 20.0
    /// Most keys one round may warm per cache.
    public var items = 1000
    /// How long the cache keeps a fetched copy fresh (its `proxy_cache_valid`), seconds.
    public var cacheTTLSeconds = 600.0
    /// Half-life of the content popularity counts, hours.
    public var halfLifeHours = 72.0
    public init() {}
}
