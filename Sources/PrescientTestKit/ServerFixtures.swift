import Foundation

/// HAProxy 2.6 on loopback for tests and benchmarks: a frontend on `port` that routes by the
/// `X-User` header through `mapFile` (unknown users → `be_default`, which answers "default"),
/// one backend `region-<name>` per given region with one server, a `weights` backend with one
/// server per region (weight 1), an empty `pool` backend, and the admin socket `dir/admin.sock`.
public final class HAProxyServer {
    public let dir: String, port: Int, mapFile: String, config: String
    public var socket: String { dir + "/admin.sock" }
    public private(set) var process: RealServer

    public init(dir: String, port: Int, mapFile: String, backends: [(region: String, port: Int)]) throws {
        self.dir = dir; self.port = port; self.mapFile = mapFile
        if !FileManager.default.fileExists(atPath: mapFile) { try "".write(toFile: mapFile, atomically: true, encoding: .utf8) }
        var cfg = """
        global
            stats socket \(dir)/admin.sock mode 600 level admin
        defaults
            mode http
            timeout connect 2s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind 127.0.0.1:\(port)
            use_backend %[req.hdr(X-User),map(\(mapFile),be_default)]
        backend be_default
            http-request return status 200 content-type text/plain string default
        backend pool
            balance roundrobin
        backend weights
            balance roundrobin

        """
        for b in backends { cfg += "    server \(b.region) 127.0.0.1:\(b.port) weight 1\n" }
        for b in backends { cfg += "backend region-\(b.region)\n    server s1 127.0.0.1:\(b.port)\n" }
        config = dir + "/haproxy.cfg"
        try cfg.write(toFile: config, atomically: true, encoding: .utf8)
        process = try Self.start(config: config, dir: dir, port: port)
    }

    static func start(config: String, dir: String, port: Int) throws -> RealServer {
        let check = try RealServer.run("/usr/sbin/haproxy", ["-c", "-q", "-f", config])
        guard check.status == 0 else { throw TestFailure("haproxy -c: \(check.output)") }
        let h = try RealServer("haproxy", executable: "/usr/sbin/haproxy", arguments: ["-db", "-f", config], log: dir + "/haproxy.log")
        try h.waitUntil("listening") { RealServer.accepts(port) && FileManager.default.fileExists(atPath: dir + "/admin.sock") }
        return h
    }

    /// Stops HAProxy (soft stop) and starts it again from its configuration and map file.
    public func restart() throws {
        process.stop(signal: SIGUSR1)
        try? FileManager.default.removeItem(atPath: socket)
        process = try Self.start(config: config, dir: dir, port: port)
    }

    deinit { process.stop(signal: SIGUSR1) }
}

/// BIND 9 on loopback for tests and benchmarks: zone `prescient.test` (SOA, NS, ns A 127.0.0.1,
/// `eu-west A 192.0.2.99`) updatable by RFC 2136 with TSIG key `prescient-key` (HMAC-SHA256,
/// `secret`); `other-key` (`otherSecret`) is known to the server but granted nothing.
public final class BINDServer {
    public static let zone = "prescient.test"
    public let dir: String, port: Int
    public let process: RealServer

    public init(dir: String, port: Int, secret: String, otherSecret: String) throws {
        self.dir = dir; self.port = port
        let conf = """
        key "prescient-key" { algorithm hmac-sha256; secret "\(secret)"; };
        key "other-key" { algorithm hmac-sha256; secret "\(otherSecret)"; };
        options {
            directory "\(dir)";
            listen-on port \(port) { 127.0.0.1; };
            listen-on-v6 { none; };
            pid-file "\(dir)/named.pid";
            recursion no;
            dnssec-validation no;
        };
        controls { };
        zone "\(Self.zone)" {
            type primary;
            file "\(dir)/\(Self.zone).db";
            update-policy { grant prescient-key zonesub ANY; };
        };
        """
        let zone = """
        $TTL 60
        @ IN SOA ns.\(Self.zone). admin.\(Self.zone). 1 3600 600 86400 60
        @ IN NS ns.\(Self.zone).
        ns IN A 127.0.0.1
        eu-west IN A 192.0.2.99

        """
        try conf.write(toFile: dir + "/named.conf", atomically: true, encoding: .utf8)
        try zone.write(toFile: dir + "/\(Self.zone).db", atomically: true, encoding: .utf8)
        process = try RealServer("named", executable: "/usr/sbin/named", arguments: ["-c", dir + "/named.conf", "-g", "-n", "1"], log: dir + "/named.log")
        try process.waitUntil("answering") { RealServer.accepts(port) && (try? Self.dig(port, "ns.\(Self.zone)", "A")) == ["127.0.0.1"] }
    }

    /// What `dig +short` answers for `name` and `type`, sorted.
    public static func dig(_ port: Int, _ name: String, _ type: String, tcp: Bool = false) throws -> [String] {
        let out = try RealServer.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(port)", "+short", "+time=2", "+tries=1"] + (tcp ? ["+tcp"] : []) + [name, type])
        return out.output.split(separator: "\n").map(String.init).sorted()
    }

    public func dig(_ name: String, _ type: String, tcp: Bool = false) throws -> [String] { try Self.dig(port, name, type, tcp: tcp) }

    deinit { process.stop() }
}
