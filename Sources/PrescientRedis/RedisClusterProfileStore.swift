import Foundation
import PrescientCore
import PrescientRuntime

/// Profiles in a Redis Cluster, sharded by user id.
///
/// Keys, for namespace `ns`:
/// - `ns:p:{<user>}` — the profile (`ProfileCodec`); the hash tag is the user id, so profiles
///   spread over every master;
/// - `{ns}:…` — everything else on one slot: `{ns}:ckpt` (hash: source path → "fingerprint line"),
///   `{ns}:newest` (ms), `{ns}:seg` (the segmentation, JSON), `{ns}:gen` (the current assignment
///   generation) and `{ns}:assign:<gen>` (hash: user → segment).
///
/// A new segmentation's assignments are written to a fresh generation first, then one Lua script
/// switches `gen` and `seg` and drops the old generation: readers see the old set or the new one.
/// `save` writes the profiles (pipelined per master, `WAIT` when configured), then the newest
/// event time and the checkpoint: the checkpoint never runs ahead of the profiles. Profiles may
/// run ahead of the checkpoint after a crash; re-delivered events are then recognised as
/// duplicates by the profile updater, so the result is the same.
public final class RedisClusterProfileStore: ProfileStore {
    public let client: RedisClusterClient
    public let namespace: String

    static let newestScript = """
    local c = tonumber(redis.call('GET', KEYS[1]) or '-1e18')
    if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end
    return 1
    """
    /// KEYS: gen, seg, the previous generation's hash (or the new one when there is none);
    /// ARGV: the new generation, the segmentation JSON, the new generation's hash key.
    static let switchScript = """
    redis.call('SET', KEYS[1], ARGV[1])
    redis.call('SET', KEYS[2], ARGV[2])
    if KEYS[3] ~= ARGV[3] then redis.call('UNLINK', KEYS[3]) end
    return 1
    """

    /// `namespace`: letters, digits, `-`, `_`, `.` (it appears in key patterns).
    public init(client: RedisClusterClient, namespace: String) throws(RuntimeError) {
        guard !namespace.isEmpty, namespace.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 }) else {
            throw RuntimeError(.configuration, "redis namespace '\(namespace)': use letters, digits, '-', '_' and '.'")
        }
        self.client = client; self.namespace = namespace
    }

    public var location: String { "redis://\(client.seeds.joined(separator: ","))/\(namespace)" }

    func profileKey(_ user: String) -> String { "\(namespace):p:{\(user)}" }
    var meta: String { "{\(namespace)}" }
    var profilePrefix: String { "\(namespace):p:{" }

    public func load(_ users: [String]) throws(RuntimeError) -> [String: UserProfile] {
        guard !users.isEmpty else { return [:] }
        var commands = users.map { RedisClusterClient.Command(key: profileKey($0), ["GET", profileKey($0)]) }
        commands.append(RedisClusterClient.Command(key: "\(meta):gen", ["GET", "\(meta):gen"]))
        let replies = try client.execute(commands)
        var segments: [String: Int32] = [:]
        if let gen = replies.last?.text {
            let r = try client.run(RedisClusterClient.Command(key: "\(meta):assign:\(gen)", ["HMGET", "\(meta):assign:\(gen)"] + users))
            if case .array(let values) = r {
                for (u, v) in zip(users, values) { if let s = v.text.flatMap({ Int32($0) }) { segments[u] = s } }
            }
        }
        var out: [String: UserProfile] = [:]
        for (user, reply) in zip(users, replies) {
            switch reply {
            case .bulk(let blob):
                var p = try decode(blob, user: user)
                p.segment = segments[user]
                out[user] = p
            case .null: continue
            case .error(let e): throw RuntimeError(.io, "redis: GET \(profileKey(user)): \(e)")
            default: throw RuntimeError(.io, "redis: GET \(profileKey(user)): unexpected reply")
            }
        }
        return out
    }

    func decode(_ blob: [UInt8], user: String) throws(RuntimeError) -> UserProfile {
        do { return try ProfileCodec.decode(blob) } catch { throw RuntimeError(.badInput, "redis \(namespace): profile of '\(user)': \(error)") }
    }

    public func save(_ profiles: [UserProfile], checkpoint: IngestCheckpoint?) throws(RuntimeError) {
        if !profiles.isEmpty {
            let commands = profiles.map { p in
                RedisClusterClient.Command(key: Array(profileKey(p.user).utf8), parts: [Array("SET".utf8), Array(profileKey(p.user).utf8), ProfileCodec.encode(p)], writes: true)
            }
            try check(try client.execute(commands), "SET profile")
        }
        var metaWrites: [RedisClusterClient.Command] = []
        if let newest = profiles.map(\.lastSeen.milliseconds).max() {
            metaWrites.append(.init(key: "\(meta):newest", ["EVAL", Self.newestScript, "1", "\(meta):newest", String(newest)], writes: true))
        }
        if let c = checkpoint {
            metaWrites.append(.init(key: "\(meta):ckpt", ["HSET", "\(meta):ckpt", c.source.path, "\(c.source.fingerprint) \(c.line)"], writes: true))
        }
        if !metaWrites.isEmpty { try check(try client.execute(metaWrites), "save checkpoint") }
    }

    func check(_ replies: [RESPValue], _ what: String) throws(RuntimeError) {
        for r in replies { if case .error(let e) = r { throw RuntimeError(.io, "redis \(namespace): \(what): \(e)") } }
    }

    public func checkpoint(for source: SourceIdentity) throws(RuntimeError) -> IngestCheckpoint? {
        let r = try client.run(.init(key: "\(meta):ckpt", ["HGET", "\(meta):ckpt", source.path]))
        guard let text = r.text else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let fp = UInt64(parts[0]), let line = Int(parts[1]), fp == source.fingerprint else { return nil }
        return IngestCheckpoint(source: source, line: line)
    }

    /// Every stored user id, sorted (SCAN on every master).
    public func users() throws(RuntimeError) -> [String] {
        let prefix = profilePrefix
        return try client.scanKeys(matching: "\(namespace):p:*")
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix("}") }
            .map { String($0.dropFirst(prefix.count).dropLast()) }
            .sorted()
    }

    public func forEachProfile(_ body: (UserProfile) throws(RuntimeError) -> Void) throws(RuntimeError) {
        let all = try users()
        var start = 0
        while start < all.count {
            let chunk = Array(all[start..<min(all.count, start + 2000)])
            let loaded = try load(chunk)
            for u in chunk { if let p = loaded[u] { try body(p) } }
            start += chunk.count
        }
    }

    public func profileCount() throws(RuntimeError) -> Int { try users().count }

    public func hasProfiles() throws(RuntimeError) -> Bool {
        try !client.scanKeys(matching: "\(namespace):p:*", limit: 1).isEmpty
    }

    public func newestEventTime() throws(RuntimeError) -> Timestamp? {
        try client.run(.init(key: "\(meta):newest", ["GET", "\(meta):newest"])).text.flatMap { Double($0) }.map { Timestamp(milliseconds: Int64($0)) }
    }

    public func saveSegmentation(_ segmentation: Segmentation, assignments: [(user: String, segment: Int32)]) throws(RuntimeError) {
        let json: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = String(decoding: try encoder.encode(segmentation), as: UTF8.self)
        } catch { throw RuntimeError(.invariant, "segmentation does not encode: \(error)") }
        guard case .integer(let gen) = try client.run(.init(key: "\(meta):gencounter", ["INCR", "\(meta):gencounter"], writes: true)) else {
            throw RuntimeError(.io, "redis \(namespace): INCR gencounter: unexpected reply")
        }
        let key = "\(meta):assign:\(gen)"
        var start = 0
        while start < assignments.count {
            let chunk = assignments[start..<min(assignments.count, start + 5000)]
            var parts = ["HSET", key]
            for (u, s) in chunk { parts.append(u); parts.append(String(s)) }
            try client.run(.init(key: key, parts, writes: true))
            start += chunk.count
        }
        let previous = try client.run(.init(key: "\(meta):gen", ["GET", "\(meta):gen"])).text.map { "\(meta):assign:\($0)" } ?? key
        try client.run(.init(key: "\(meta):gen", ["EVAL", Self.switchScript, "3", "\(meta):gen", "\(meta):seg", previous, String(gen), json, key], writes: true))
    }

    public func segmentation() throws(RuntimeError) -> Segmentation? {
        guard let json = try client.run(.init(key: "\(meta):seg", ["GET", "\(meta):seg"])).text else { return nil }
        do { return try JSONDecoder().decode(Segmentation.self, from: Data(json.utf8)) } catch {
            throw RuntimeError(.badInput, "redis \(namespace): stored segmentation does not decode: \(error)")
        }
    }

    public func assignments() throws(RuntimeError) -> [String: Int32] {
        guard let gen = try client.run(.init(key: "\(meta):gen", ["GET", "\(meta):gen"])).text else { return [:] }
        let reply = try client.run(.init(key: "\(meta):assign:\(gen)", ["HGETALL", "\(meta):assign:\(gen)"]))
        var out: [String: Int32] = [:]
        for (user, value) in reply.fieldPairs ?? [] { if let s = value.text.flatMap({ Int32($0) }) { out[user] = s } }
        return out
    }
}
