import Foundation
import PrescientRuntime

/// etcd v3 through its HTTP/JSON gateway (no gRPC): one request per connection, JSON in and out,
/// keys and values base64, 64-bit ids as strings. Errors name the endpoint and etcd's message.
public struct EtcdClient: Sendable {
    public let endpoint: HostPort
    public var timeout: Double

    /// `url`: `http://HOST:PORT`.
    public init(url: String, timeout: Double = 5) throws(RuntimeError) {
        guard url.hasPrefix("http://"), let hp = HostPort(String(url.dropFirst("http://".count).prefix { $0 != "/" }), defaultPort: 2379) else {
            throw RuntimeError(.configuration, "etcd '\(url)': give http://HOST:PORT")
        }
        endpoint = hp; self.timeout = timeout
    }

    /// POSTs `body` to `path` and returns the decoded JSON object (the first, for streaming calls).
    public func call(_ path: String, _ body: [String: Any], timeout: Double? = nil) throws(RuntimeError) -> [String: Any] {
        let json: Data
        do { json = try JSONSerialization.data(withJSONObject: body) } catch { throw RuntimeError(.invariant, "etcd: request does not encode: \(error)") }
        let socket = try Socket.connect(host: endpoint.host, port: endpoint.port, timeout: timeout ?? self.timeout)
        let head = "POST \(path) HTTP/1.1\r\nHost: \(endpoint)\r\nContent-Type: application/json\r\nContent-Length: \(json.count)\r\nConnection: close\r\n\r\n"
        try socket.send(Array(head.utf8) + Array(json))
        let raw = try socket.receiveToEOF(limit: 1 << 20)
        guard let split = raw.firstRange(of: [13, 10, 13, 10]) else { throw RuntimeError(.io, "etcd \(endpoint)\(path): no HTTP response") }
        let header = String(decoding: raw[..<split.lowerBound], as: UTF8.self)
        var payload = Array(raw[split.upperBound...])
        if header.lowercased().contains("transfer-encoding: chunked") { payload = Self.dechunk(payload) }
        let status = header.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        // A streaming call answers newline-separated messages: the first is the answer.
        let first = payload.split(separator: 10, omittingEmptySubsequences: true).first.map(Array.init) ?? []
        guard let object = (try? JSONSerialization.jsonObject(with: Data(first))) as? [String: Any] else {
            throw RuntimeError(.io, "etcd \(endpoint)\(path): HTTP \(status), not JSON: \(String(decoding: first.prefix(200), as: UTF8.self))")
        }
        let message = object["error"].map { "\($0)" } ?? (object["message"] as? String)
        if status != 200 || message != nil {
            throw RuntimeError(.io, "etcd \(endpoint)\(path): HTTP \(status): \(message ?? "error")")
        }
        return (object["result"] as? [String: Any]) ?? object
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let end = bytes[i...].firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: bytes[i..<end.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = end.upperBound
            guard start + size <= bytes.count else { out += bytes[start...]; break }
            out += bytes[start..<start + size]
            i = start + size + 2
        }
        return out
    }

    public static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    // MARK: the calls the election uses

    /// A lease of `ttl` seconds; its id.
    public func grant(ttl: Int) throws(RuntimeError) -> String {
        let r = try call("/v3/lease/grant", ["TTL": ttl])
        guard let id = r["ID"] as? String else { throw RuntimeError(.io, "etcd: lease grant: no ID") }
        return id
    }

    /// Renews the lease; the TTL left (0: the lease is gone).
    public func keepAlive(_ lease: String) throws(RuntimeError) -> Int {
        let r = try call("/v3/lease/keepalive", ["ID": lease])
        return (r["TTL"] as? String).flatMap { Int($0) } ?? 0
    }

    public func revoke(_ lease: String) throws(RuntimeError) { _ = try call("/v3/lease/revoke", ["ID": lease]) }

    /// Campaigns in election `name` with `value` on `lease`; returns (blocking) once leader, with
    /// the leader key to resign with.
    public func campaign(_ name: String, value: String, lease: String, timeout: Double) throws(RuntimeError) -> [String: Any] {
        let r = try call("/v3/election/campaign", ["name": Self.b64(name), "lease": lease, "value": Self.b64(value)], timeout: timeout)
        guard let leader = r["leader"] as? [String: Any] else { throw RuntimeError(.io, "etcd: campaign: no leader key") }
        return leader
    }

    public func resign(_ leader: [String: Any]) throws(RuntimeError) { _ = try call("/v3/election/resign", ["leader": leader]) }

    /// The current leader's value in election `name`, if any.
    public func leader(_ name: String) throws(RuntimeError) -> String? {
        let r: [String: Any]
        do { r = try call("/v3/election/leader", ["name": Self.b64(name)]) } catch {
            if error.message.contains("no leader") { return nil }
            throw error
        }
        guard let kv = r["kv"] as? [String: Any], let v = kv["value"] as? String, let d = Data(base64Encoded: v) else { return nil }
        return String(decoding: d, as: UTF8.self)
    }
}
