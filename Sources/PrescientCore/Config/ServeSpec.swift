/// `prescient serve`: where it listens, who may write, and the limits that keep it up under load.
public struct ServeSpec: Sendable, Hashable {
    /// IPv4 address and port, `host:port`.
    public var listen = "127.0.0.1:8080"
    /// The bearer token write endpoints require. Prefer `tokenEnv`: a token in a file is a secret
    /// in a file. With neither, writes are refused (503) rather than left open.
    public var token: String?
    /// The environment variable holding the token (read by the CLI at start).
    public var tokenEnv = "PRESCIENT_TOKEN"
    /// Whether read endpoints need the token too (`/healthz` and `/readyz` never do).
    public var protectReads = false
    /// Largest request body, bytes (413 above).
    public var maxBodyBytes = 16 << 20
    /// Most events in one POST (400 above).
    public var maxBatch = 100_000
    /// Ingest requests allowed to wait for the store before 429 + Retry-After.
    public var queue = 16
    /// Open connections (a thread each), idle seconds before a connection is closed.
    public var connections = 256
    public var requestTimeoutSeconds: Double = 30
    /// Log lines as `logfmt` or `json`, at `debug`, `info`, `warn` or `error` and above.
    public var logFormat = "logfmt"
    public var logLevel = "info"
    public init() {}

    /// `listen` split; nil when it is not `host:port` with a port in 0…65535.
    public var hostAndPort: (host: String, port: UInt16)? {
        guard let colon = listen.lastIndex(of: ":"), let port = UInt16(listen[listen.index(after: colon)...]) else { return nil }
        let host = String(listen[..<colon])
        return host.isEmpty ? nil : (host, port)
    }
}
