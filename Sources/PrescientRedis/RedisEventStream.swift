import PrescientCore
import PrescientRuntime

/// Events in Redis Streams: `partitions` streams, a user's events always in the same one
/// (FNV-1a of the user id mod P), so one consumer applies a user's events in order. Each stream
/// entry is one `EventCodec` batch (field `e`). Keys, for stream name `s`:
/// - `s:{s.<p>}` — partition p's stream (each on its own slot, so partitions spread over masters);
/// - `{s}:…` — coordination on one slot: `{s}:lease:<p>` (which consumer holds partition p, with
///   a TTL), `{s}:live` (consumer → last heartbeat, ms), `{s}:producer` (source path →
///   "fingerprint line" the producer has committed).
public struct RedisEventStream: Sendable {
    public let name: String
    public let partitions: Int
    public static let group = "prescient"

    public init(name: String, partitions: Int) throws(RuntimeError) {
        guard !name.isEmpty, !name.contains("{"), !name.contains("}"), !name.contains(" "), (1...4096).contains(partitions) else {
            throw RuntimeError(.configuration, "stream '\(name)' with \(partitions) partitions: a name without braces or spaces and 1…4096 partitions")
        }
        self.name = name; self.partitions = partitions
    }

    public func key(_ p: Int) -> String { "\(name):{\(name).\(p)}" }
    public func lease(_ p: Int) -> String { "{\(name)}:lease:\(p)" }
    public var live: String { "{\(name)}:live" }
    public var producer: String { "{\(name)}:producer" }

    public func partition(of user: String) -> Int {
        Int(FNV1a.hash(user) % UInt64(partitions))
    }

    /// Creates the consumer group on every partition (an existing group is fine).
    public func createGroups(_ client: RedisClusterClient) throws(RuntimeError) {
        let replies = try client.execute((0..<partitions).map { p in
            .init(key: key(p), ["XGROUP", "CREATE", key(p), Self.group, "0", "MKSTREAM"], writes: true)
        })
        for r in replies {
            if case .error(let e) = r, !e.hasPrefix("BUSYGROUP") { throw RuntimeError(.io, "redis: XGROUP CREATE: \(e)") }
        }
    }
}

/// The producer side (`prescient ingest FILE --to redis-stream://…`): each batch is split by
/// partition and appended (`XADD`, `WAIT` when configured); `commit` records how far into the
/// source the appended events reach, so a re-run resumes there (events appended after the last
/// commit are appended again; consumers recognise them as duplicates).
public final class RedisStreamSink: EventSink {
    public let stream: RedisEventStream
    let client: RedisClusterClient
    public private(set) var appended = 0
    public private(set) var entries = 0

    public init(stream: RedisEventStream, client: RedisClusterClient) throws(RuntimeError) {
        self.stream = stream; self.client = client
        try stream.createGroups(client)
    }

    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int {
        guard let text = try client.run(.init(key: stream.producer, ["HGET", stream.producer, source.path])).text else { return 0 }
        let parts = text.split(separator: " ")
        guard parts.count == 2, UInt64(parts[0]) == source.fingerprint, let line = Int(parts[1]) else { return 0 }
        return line
    }

    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] {
        var byPartition = [[Event]](repeating: [], count: stream.partitions)
        for e in events { byPartition[stream.partition(of: e.user)].append(e) }
        var commands: [RedisClusterClient.Command] = []
        for (p, batch) in byPartition.enumerated() where !batch.isEmpty {
            let key = Array(stream.key(p).utf8)
            commands.append(.init(key: key, parts: [Array("XADD".utf8), key, Array("*".utf8), Array("e".utf8), EventCodec.encode(batch)], writes: true))
        }
        let replies = try client.execute(commands)
        for r in replies { if case .error(let e) = r { throw RuntimeError(.io, "redis: XADD: \(e)") } }
        appended += events.count
        entries += commands.count
        return []
    }

    public func commit(through position: SourcePosition?) throws(RuntimeError) {
        guard let position else { return }
        try client.run(.init(key: stream.producer, ["HSET", stream.producer, position.source.path, "\(position.source.fingerprint) \(position.line)"], writes: true))
    }

    public func finish() throws(RuntimeError) {}
    public func abort() {}
}
