import Foundation

/// A real Redis Cluster on loopback for tests and benchmarks (Debian `redis-server`,
/// `redis-tools`): `masters` masters with `replicas` replicas each, AOF on, a short node timeout
/// (2 s) so a failover takes seconds, built with `redis-cli --cluster create`. Nodes run in the
/// foreground, one scratch directory each, and are stopped by PID.
///
/// Ports: a node's cluster bus is its port + 10000, so node ports are picked in 12000–21999 to
/// keep both below the kernel's ephemeral range.
public final class RedisClusterServer: @unchecked Sendable {
    public let dir: String
    public let ports: [Int]
    var nodes: [Int: RealServer] = [:]

    public var seeds: [String] { ports.map { "127.0.0.1:\($0)" } }

    public init(dir: String, masters: Int = 3, replicas: Int = 1, offset: Int = 0) throws {
        self.dir = dir
        let count = masters * (1 + replicas)
        var base = 12_000 + (Int(getpid()) * 53 + offset * 1_009) % 9_000
        var chosen: [Int] = []
        for _ in 0..<9_000 {
            let candidate = (base..<base + count)
            if candidate.allSatisfy({ RealServer.isFree($0) && RealServer.isFree($0 + 10_000) }) { chosen = Array(candidate); break }
            base = 12_000 + (base - 12_000 + count) % (9_000 - count)
        }
        guard !chosen.isEmpty else { throw TestFailure("no free ports for a Redis cluster") }
        ports = chosen
        for p in ports { try start(p) }
        let create = try RealServer.run("/usr/bin/redis-cli", ["--cluster", "create"] + seeds + ["--cluster-replicas", "\(replicas)", "--cluster-yes"])
        guard create.status == 0 else { throw TestFailure("redis-cli --cluster create: \(create.output.suffix(1500))") }
        try waitHealthy()
    }

    func start(_ port: Int) throws {
        let d = "\(dir)/\(port)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        let node = try RealServer("redis \(port)", executable: "/usr/bin/redis-server",
                                  arguments: ["--port", "\(port)", "--bind", "127.0.0.1", "--dir", d, "--cluster-enabled", "yes",
                                              "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                                              "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "no"],
                                  log: d + "/redis.log")
        try node.waitUntil("listening") { RealServer.accepts(port) }
        nodes[port] = node
    }

    /// Waits until every running node says `cluster_state:ok` and agrees every slot is served.
    public func waitHealthy(seconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let ok = try nodes.keys.allSatisfy { p in
                let info = try RealServer.run("/usr/bin/redis-cli", ["-p", "\(p)", "cluster", "info"]).output
                return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
            }
            if ok { return }
            guard Date() < deadline else { throw TestFailure("redis cluster not healthy after \(seconds) s") }
            usleep(100_000)
        }
    }

    /// The port of the master serving `slot` now, as most running nodes see it (a node just
    /// restarted may still believe what its nodes.conf said).
    public func master(ofSlot slot: Int) throws -> Int {
        var votes: [Int: Int] = [:]
        for p in nodes.keys.sorted() {
            let out = try RealServer.run("/usr/bin/redis-cli", ["-p", "\(p)", "cluster", "nodes"]).output
            lines: for line in out.split(separator: "\n") {
                let f = line.split(separator: " ")
                guard f.count >= 9, f[2].contains("master"), !f[2].contains("fail"), f[7] == "connected" else { continue }
                for range in f[8...] {
                    let ends = range.split(separator: "-").compactMap { Int($0) }
                    if (ends.count == 2 && ends[0] <= slot && slot <= ends[1]) || (ends.count == 1 && ends[0] == slot) {
                        votes[Int(f[1].split(separator: ":")[1].split(separator: "@")[0])!, default: 0] += 1
                        break lines
                    }
                }
            }
        }
        return votes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? -1
    }

    /// `kill -9` of one node.
    public func crash(_ port: Int) { nodes.removeValue(forKey: port)?.crash() }

    /// Starts a crashed node again on its directory (it rejoins as a replica of whoever took over).
    public func restart(_ port: Int) throws { try start(port) }

    deinit { for n in nodes.values { n.stop(grace: 2) } }
}
