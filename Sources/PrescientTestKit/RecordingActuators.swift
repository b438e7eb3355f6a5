import PrescientCore
import PrescientRuntime
import Synchronization

/// A `RouteSink` that keeps every table published; `failNext` makes the next publishes throw.
public final class RecordingRouteSink: RouteSink {
    public let tables = Mutex<[RouteTable]>([])
    public let failNext = Mutex<Int>(0)
    public init() {}
    public func publish(_ table: RouteTable) throws(RuntimeError) {
        let fail = failNext.withLock { n in defer { n = max(0, n - 1) }; return n > 0 }
        if fail { throw RuntimeError(.io, "load balancer unreachable (test)") }
        tables.withLock { $0.append(table) }
    }
    public var published: [RouteTable] { tables.withLock { $0 } }
}

/// A `DNSUpdater` holding an in-memory zone: RRsets by name and type, and every update sent.
public final class InMemoryDNSZone: DNSUpdater {
    public let rrsets = Mutex<[String: DNSRRset]>([:])
    public let updates = Mutex<[[DNSRRset]]>([])
    public init() {}
    public func replace(_ sets: [DNSRRset]) throws(RuntimeError) {
        // Refuses what the real updater refuses before sending (an address that is not one).
        for s in sets {
            do { _ = try s.replacement() } catch { throw RuntimeError(.badInput, "dns: \(error.description); nothing sent") }
        }
        rrsets.withLock { z in for s in sets { z["\(s.name) \(s.type.rawValue)"] = s.values.isEmpty ? nil : s } }
        updates.withLock { $0.append(sets) }
    }
    /// The values of `name`'s RRset of `type` (empty when there is none).
    public func values(_ name: String, _ type: DNSMessage.RecordType) -> [String] {
        rrsets.withLock { $0["\(name) \(type.rawValue)"]?.values ?? [] }
    }
}

/// A `CacheWarmer` that records the keys of each round and reports them all fetched.
public final class RecordingCacheWarmer: CacheWarmer {
    public let rounds = Mutex<[[String]]>([])
    public init() {}
    public func warm(_ keys: [String], ratePerSecond: Double, deadline: Double) -> WarmReport {
        rounds.withLock { $0.append(keys) }
        var r = WarmReport()
        r.fetched = keys.count
        return r
    }
}
