/// A `host:port` endpoint as written in configuration: `127.0.0.1:8080`, `[::1]:53`, `localhost`
/// (the default port), IPv6 in brackets when a port follows.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) { self.host = host; self.port = port }

    /// nil when the text is empty, the port is not 1…65535, or brackets do not match.
    public init?(_ text: String, defaultPort: Int) {
        var h = Substring(text), p: Substring?
        if h.hasPrefix("[") {
            guard let close = h.firstIndex(of: "]") else { return nil }
            let after = h[h.index(after: close)...]
            h = h[h.index(after: h.startIndex)..<close]
            if !after.isEmpty { guard after.hasPrefix(":") else { return nil }; p = after.dropFirst() }
        } else if h.filter({ $0 == ":" }).count == 1, let colon = h.firstIndex(of: ":") {
            p = h[h.index(after: colon)...]
            h = h[..<colon]
        }
        guard !h.isEmpty, !h.contains(" ") else { return nil }
        let port = p.map { Int($0) } ?? defaultPort
        guard let port, (1...65_535).contains(port) else { return nil }
        host = String(h); self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
