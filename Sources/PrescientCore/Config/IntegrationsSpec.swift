/// Real systems Prescient drives, each optional (absent: not driven).
public struct IntegrationsSpec: Sendable, Hashable {
    public var haproxy: HAProxySpec?
    public var dns: DNSSpec?
    /// Regional HTTP cache base URL per region, for cache warming.
    public var caches: [String: String] = [:]
    public init() {}
}

public struct HAProxySpec: Sendable, Hashable {
    /// Path of the runtime API socket (`stats socket … level admin`).
    public var socket: String
    /// Map file of user or segment → backend, rewritten so a reload keeps runtime changes.
    public var mapFile: String
    public init(socket: String, mapFile: String) { self.socket = socket; self.mapFile = mapFile }
}

public struct DNSSpec: Sendable, Hashable {
    /// Authoritative server address and port.
    public var server: String
    public var port: Int
    public var zone: String
    /// TSIG key name and base64 secret (HMAC-SHA256); the secret may come from the environment.
    public var keyName: String
    public var keySecret: String?
    public var ttl: Int
    public init(server: String, port: Int = 53, zone: String, keyName: String, keySecret: String?, ttl: Int = 30) {
        self.server = server; self.port = port; self.zone = zone; self.keyName = keyName
        self.keySecret = keySecret; self.ttl = ttl
    }
}
