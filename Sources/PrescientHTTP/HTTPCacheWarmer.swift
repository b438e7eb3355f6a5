#if canImport(Glibc)
import Glibc
#endif
import PrescientCore
import PrescientRuntime

/// Warms a regional HTTP cache (nginx `proxy_cache`, Varnish) by sending `HEAD` for each key
/// through it: the cache fetches what it does not hold fresh from the origin and stores it (nginx
/// caches a HEAD as a GET). One keep-alive connection, reopened when the cache closes it; paced
/// at `ratePerSecond`; nothing started past the deadline. The cache's `X-Cache-Status` (nginx) or
/// `X-Cache` header tells a HIT from a MISS; 2xx and 3xx count as warmed, anything else fails
/// with the status.
public struct HTTPCacheWarmer: CacheWarmer {
    public let host: String
    public let port: Int
    /// Path prefix of the cache's base URL (empty or starting with `/`, no trailing `/`).
    public let prefix: String
    public var timeout: Double = 5
    let monotonic: @Sendable () -> Double
    let pause: @Sendable (Double) -> Void

    /// `baseURL`: `http://HOST[:PORT][/PREFIX]` (HOST a numeric address or localhost; https is not spoken here).
    public init(baseURL: String, monotonic: @escaping @Sendable () -> Double = { monotonicSeconds() },
                pause: @escaping @Sendable (Double) -> Void = { usleep(UInt32(max(0, $0) * 1_000_000)) }) throws(RuntimeError) {
        guard baseURL.hasPrefix("http://") else { throw RuntimeError(.configuration, "cache '\(baseURL)': only http:// caches can be warmed") }
        let rest = baseURL.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        guard let endpoint = HostPort(String(authority), defaultPort: 80) else { throw RuntimeError(.configuration, "cache '\(baseURL)': bad host or port") }
        host = endpoint.host; port = endpoint.port; prefix = path
        self.monotonic = monotonic; self.pause = pause
    }

    public func warm(_ keys: [String], ratePerSecond: Double, deadline: Double) -> WarmReport {
        var report = WarmReport()
        var connection: Socket?
        let start = monotonic()
        for (i, key) in keys.enumerated() {
            let due = start + Double(i) / max(ratePerSecond, 1e-9)
            if due >= deadline { report.skipped = keys.count - i; break }
            let wait = due - monotonic()
            if wait > 0 { pause(wait) }
            guard key.hasPrefix("/"), key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
                report.failed.append((key, "not a request path (must start with / and hold no spaces or control characters)"))
                continue
            }
            do {
                let (status, cache) = try head(prefix + key, on: &connection)
                if (200..<400).contains(status) {
                    if cache?.uppercased().hasPrefix("HIT") == true { report.alreadyCached += 1 } else { report.fetched += 1 }
                } else {
                    report.failed.append((key, "HTTP \(status)"))
                }
            } catch {
                connection = nil
                report.failed.append((key, error.message))
            }
        }
        return report
    }

    /// One HEAD on the kept connection (a fresh one if it was closed); status and cache status.
    func head(_ path: String, on connection: inout Socket?) throws(RuntimeError) -> (Int, String?) {
        for attempt in 0..<2 {
            if connection == nil { connection = try Socket.connect(host: host, port: port, timeout: timeout) }
            let c = connection!
            do throws(RuntimeError) {
                try c.send("HEAD \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: prescient-warmer\r\nConnection: keep-alive\r\n\r\n")
                var header: [UInt8] = []
                while !header.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    // A HEAD answer has no body and one request is in flight: whatever arrives is header.
                    let part = try c.receive(limit: 4096)
                    if part.isEmpty { throw RuntimeError(.io, "\(c.peer): closed before the response header") }
                    header += part
                    if header.count > 65_536 { throw RuntimeError(.io, "\(c.peer): response header over 64 KB") }
                }
                guard let answer = Self.responseHead(header) else {
                    let first = String(decoding: header.prefix { $0 != 13 }, as: UTF8.self)
                    throw RuntimeError(.io, "\(c.peer): not an HTTP response: '\(first)'")
                }
                let (status, cache, close) = answer
                if close { connection = nil }
                return (status, cache)
            } catch {
                connection = nil
                if attempt == 1 { throw error }
            }
        }
        throw RuntimeError(.invariant, "unreachable")
    }

    /// The status, cache status (`X-Cache-Status` or `X-Cache`, blanks trimmed) and whether the
    /// server closes the connection, from a response header (through its blank line); nil when the
    /// status line is not HTTP/1.x.
    static func responseHead(_ header: [UInt8]) -> (status: Int, cache: String?, close: Bool)? {
        let lines = String(decoding: header, as: UTF8.self).split(separator: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return nil }
        var cache: String?
        var close = false
        for line in lines.dropFirst() {
            let field = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = field[0].lowercased(), value = field.count > 1 ? field[1].trimmingBlanks : ""
            if name == "x-cache-status" || name == "x-cache" { cache = value }
            if name == "connection" && value.lowercased().contains("close") { close = true }
        }
        return (status, cache, close)
    }
}
