#if canImport(Glibc)
import Glibc
#endif
import PrescientCore
import PrescientRuntime

/// A Redis Cluster client: the slot map from `CLUSTER SLOTS`, commands grouped by the master
/// that owns their key's slot (CRC16, hash tags) and pipelined per node, `MOVED` (map refreshed,
/// command resent) and `ASK` (`ASKING` + the command at the named node) followed, and failover
/// ridden out: CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN, READONLY and broken connections are
/// retried with exponential backoff (capped at 2 s, `attempts` rounds) after reloading the map
/// from any reachable node.
///
/// With `waitReplicas` > 0 every node's pipeline that writes ends with `WAIT n timeout`; fewer
/// acknowledging replicas fail the call (`.io`, "not replicated"), so a caller acknowledges a
/// write only once Redis holds it on a replica too. Writes sent must be idempotent (a command
/// whose reply was lost to a broken connection is sent again).
public final class RedisClusterClient {
    /// A command and the key that decides its slot (nil: any master).
    public struct Command {
        public var key: [UInt8]?
        public var parts: [[UInt8]]
        public var writes: Bool
        public init(key: String?, _ parts: [String], writes: Bool = false) {
            self.key = key.map { Array($0.utf8) }; self.parts = parts.map { Array($0.utf8) }; self.writes = writes
        }
        public init(key: [UInt8]?, parts: [[UInt8]], writes: Bool) { self.key = key; self.parts = parts; self.writes = writes }
    }

    public let seeds: [String]
    public var timeout: Double
    public var waitReplicas: Int
    public var waitTimeoutMs = 5_000
    public var attempts = 12
    /// Rounds when no node could ever be reached (a wrong address fails fast).
    public var attemptsUnreached = 3
    public private(set) var topology: ClusterTopology?
    var connections: [String: RedisConnection] = [:]
    var reachedOnce = false
    let pause: (Double) -> Void

    public init(seeds: [String], timeout: Double = 5, waitReplicas: Int = 0, pause: @escaping (Double) -> Void = { usleep(UInt32($0 * 1_000_000)) }) {
        self.seeds = seeds; self.timeout = timeout; self.waitReplicas = waitReplicas; self.pause = pause
    }

    func connection(_ node: String) throws(RuntimeError) -> RedisConnection {
        if let c = connections[node] { return c }
        let c = try RedisConnection(node: node, timeout: timeout)
        connections[node] = c
        reachedOnce = true
        return c
    }

    /// Reloads the slot map from the first node that answers (known masters first, then seeds).
    public func refresh() throws(RuntimeError) {
        var tried: [String] = []
        var last = "no node given"
        for node in (topology?.masters ?? []) + (topology?.replicas.flatMap { $0 } ?? []) + seeds where !tried.contains(node) {
            tried.append(node)
            do {
                let reply = try connection(node).pipeline([RESPValue.command(["CLUSTER", "SLOTS"])])[0]
                if case .error(let e) = reply { last = "\(node): \(e)"; continue }
                let t: ClusterTopology
                do { t = try ClusterTopology(clusterSlots: reply) } catch { last = "\(node): \(error.description)"; continue }
                guard !t.masters.isEmpty else { last = "\(node): no slots assigned"; continue }
                topology = t
                return
            } catch {
                connections[node] = nil
                last = error.message
            }
        }
        throw RuntimeError(.io, "redis cluster: no node answered CLUSTER SLOTS (\(last))")
    }

    /// Runs the commands; replies in the same order. Error replies that are the command's own
    /// (not redirections or failover) come back as `.error` values.
    public func execute(_ commands: [Command]) throws(RuntimeError) -> [RESPValue] {
        if topology == nil { try refreshWithRetry() }
        var results = [RESPValue?](repeating: nil, count: commands.count)
        var asking: [Int: String] = [:]
        var pending = Array(commands.indices)
        var round = 0
        var lastProblem = ""
        while !pending.isEmpty {
            var byNode: [String: [Int]] = [:]
            var needRefresh = false
            for i in pending {
                let node: String?
                if let n = asking[i] { node = n }
                else if let key = commands[i].key { node = topology?.master(for: ClusterSlot.of(key)) }
                else { node = topology?.masters.first }
                guard let node else { needRefresh = true; lastProblem = "slot not served"; continue }
                byNode[node, default: []].append(i)
            }
            for (node, indices) in byNode {
                var wire: [[UInt8]] = []
                var kinds: [Int?] = []   // command index per reply; nil for ASKING / WAIT
                for i in indices {
                    if asking[i] != nil { wire.append(RESPValue.command(["ASKING"])); kinds.append(nil) }
                    wire.append(RESPValue.command(commands[i].parts)); kinds.append(i)
                }
                let waits = waitReplicas > 0 && indices.contains { commands[$0].writes }
                if waits { wire.append(RESPValue.command(["WAIT", String(waitReplicas), String(waitTimeoutMs)])); kinds.append(nil) }
                let replies: [RESPValue]
                do {
                    replies = try connection(node).pipeline(wire)
                } catch {
                    connections[node] = nil
                    needRefresh = true
                    lastProblem = error.message
                    continue
                }
                var redirected = false
                for (reply, kind) in zip(replies, kinds) {
                    guard let i = kind else { continue }
                    if case .error(let e) = reply {
                        switch RedisRedirection(error: e) {
                        case .moved: needRefresh = true; redirected = true; asking[i] = nil; lastProblem = e
                        case .ask(_, let target): asking[i] = target; redirected = true
                        case .retry(let why): needRefresh = true; redirected = true; lastProblem = "\(node): \(why)"
                        case .fail: results[i] = reply; asking[i] = nil
                        }
                    } else {
                        results[i] = reply
                        asking[i] = nil
                    }
                }
                if waits, !redirected, case .integer(let acked)? = replies.last, acked < waitReplicas {
                    // The writes are on the master only: not acknowledged. Sent again next round.
                    for i in indices where commands[i].writes { results[i] = nil }
                    needRefresh = true
                    lastProblem = "\(node): WAIT \(waitReplicas): \(acked) replica(s) acknowledged (not replicated)"
                }
            }
            pending = pending.filter { results[$0] == nil }
            guard !pending.isEmpty else { break }
            round += 1
            let budget = reachedOnce ? attempts : attemptsUnreached
            guard round < budget else {
                throw RuntimeError(.io, "redis cluster: \(pending.count) command(s) not done after \(round) rounds: \(lastProblem)")
            }
            pause(Self.backoff(round: round))
            if needRefresh { try? refresh() }
        }
        return results.map { $0! }
    }

    /// Seconds to wait before retry round `round` (1, 2, …): 0.1, 0.2, 0.4 … doubling, at most 2.
    static func backoff(round: Int) -> Double { min(2, 0.05 * Double(1 << min(round, 6))) }

    func refreshWithRetry() throws(RuntimeError) {
        var round = 0
        while true {
            do { try refresh(); return } catch {
                round += 1
                if round >= (reachedOnce ? attempts : attemptsUnreached) { throw error }
                pause(Self.backoff(round: round))
            }
        }
    }

    /// One command; its own error reply is thrown.
    @discardableResult
    public func run(_ command: Command) throws(RuntimeError) -> RESPValue {
        let r = try execute([command])[0]
        if case .error(let e) = r { throw RuntimeError(.io, "redis: \(String(decoding: command.parts[0], as: UTF8.self)): \(e)") }
        return r
    }

    /// The masters serving slots now (the slot map loaded first if need be).
    public func masters() throws(RuntimeError) -> [String] {
        if topology == nil { try refreshWithRetry() }
        return topology?.masters ?? []
    }

    /// Every key matching the glob `pattern` (and of `type`, when given) on every master: SCAN
    /// with a cursor per master; stops once `limit` keys are found.
    public func scanKeys(matching pattern: String, type: String? = nil, limit: Int = .max) throws(RuntimeError) -> [String] {
        var keys: [String] = []
        for node in try masters() {
            var cursor = "0"
            repeat {
                if keys.count >= limit { return keys }
                let reply = try onNode(node, ["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"] + (type.map { ["TYPE", $0] } ?? []))
                guard case .array(let pair) = reply, pair.count == 2, let next = pair[0].text, case .array(let found) = pair[1] else {
                    throw RuntimeError(.io, "redis \(node): SCAN: unexpected reply")
                }
                keys += found.compactMap(\.text)
                cursor = next
            } while cursor != "0"
        }
        return keys
    }

    /// Sends to one node as it is (no redirection), e.g. SCAN with a cursor on that node.
    public func onNode(_ node: String, _ parts: [String]) throws(RuntimeError) -> RESPValue {
        do { return try connection(node).pipeline([RESPValue.command(parts)])[0] } catch {
            connections[node] = nil
            throw error
        }
    }
}

extension RedisClusterClient {
    /// Replaces the slot map (tests: a stale map that MOVED must correct).
    public func overrideTopology(_ t: ClusterTopology) { topology = t }
}
