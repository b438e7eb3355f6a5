import Foundation
import PrescientCore
import PrescientRedis
import PrescientRuntime
import PrescientTestKit
import Synchronization
import Testing

/// The Redis Cluster store against a real cluster (3 masters + 3 replicas, Debian redis-server 7):
/// the ProfileStore conformance suite, and a master killed with `kill -9` during ingest.
@Suite(.serialized) struct RedisClusterTests {
    @Test func theConformanceSuitePasses() throws {
        let dir = TestFiles.scratchDirectory("redis-conf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cluster = try RedisClusterServer(dir: dir, offset: 1)
        var n = 0
        let failures = ProfileStoreConformance.run(makeStore: {
            n += 1
            return try RedisClusterProfileStore(client: RedisClusterClient(seeds: cluster.seeds, waitReplicas: 1), namespace: "conformance\(n)")
        }, reopen: { store in
            try RedisClusterProfileStore(client: RedisClusterClient(seeds: cluster.seeds), namespace: (store as! RedisClusterProfileStore).namespace)
        })
        #expect(failures.isEmpty, "\(failures)")
        // A client pointed nowhere fails fast with a clear error.
        let nowhere = RedisClusterClient(seeds: ["127.0.0.1:\(RealServer.freePort(offset: 21))"], timeout: 0.5, pause: { _ in })
        #expect(throws: RuntimeError.self) { try nowhere.run(.init(key: "k", ["GET", "k"])) }
    }

    @Test func slotsMovedAndAskedAreFollowed() throws {
        let dir = TestFiles.scratchDirectory("redis-moved")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cluster = try RedisClusterServer(dir: dir, offset: 2)
        let client = RedisClusterClient(seeds: [cluster.seeds[0]])
        // Keys across every slot range land on their owners (the client follows its map).
        let keys = (0..<300).map { "k\($0)" }
        let set = try client.execute(keys.map { .init(key: $0, ["SET", $0, "v-\($0)"], writes: true) })
        #expect(set.allSatisfy { $0 == .simple("OK") })
        #expect(try client.execute(keys.map { .init(key: $0, ["GET", $0]) }).map(\.text) == keys.map { "v-\($0)" })
        // A client with a stale map (every slot pointed at one node) is corrected by MOVED.
        let stale = RedisClusterClient(seeds: [cluster.seeds[0]])
        try stale.refresh()
        let t = stale.topology!
        stale.overrideTopology(ClusterTopology(masters: [t.masters[0]], replicas: [[]], owner: [Int16](repeating: 0, count: ClusterSlot.count)))
        #expect(try stale.execute(keys.map { .init(key: $0, ["GET", $0]) }).map(\.text) == keys.map { "v-\($0)" })
        #expect(stale.topology!.masters.count == 3)
    }

    /// Profiles of `events` applied in order by the same updater, as a single clean run would.
    static func expected(_ events: [Event]) -> [String: UserProfile] {
        let updater = ProfileUpdater(config: .default)
        var out: [String: UserProfile] = [:]
        for e in events {
            var p = out[e.user] ?? UserProfile(user: e.user, at: e.time)
            _ = updater.apply(e, to: &p)
            out[e.user] = p
        }
        return out
    }

    @Test func aMasterKilledDuringIngestLosesNoAcknowledgedEvent() throws {
        let dir = TestFiles.scratchDirectory("redis-failover")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cluster = try RedisClusterServer(dir: dir, offset: 3)
        let store = try RedisClusterProfileStore(client: RedisClusterClient(seeds: cluster.seeds, waitReplicas: 1), namespace: "failover")
        let updater = ProfileUpdater(config: .default)
        let t0 = Timestamp(seconds: 1_772_409_600)
        let events = (0..<40_000).map { i in
            Event(time: t0.adding(seconds: Double(i)), user: "u\(i % 2_000)", region: ["eu-west", "us-east"][i % 2], feature: "video",
                  durationSeconds: Double(i % 300), bytes: Int64(i), id: "e\(i)")
        }
        // The master of u7's slot dies after the 10th batch; a watcher restarts it once a replica
        // has taken over (so WAIT 1 can be met again), as an orchestrator would.
        let victim = try cluster.master(ofSlot: ClusterSlot.of("failover:p:{u7}"))
        let restarted = Mutex<Bool>(false)
        var acknowledged = 0
        for (b, start) in stride(from: 0, to: events.count, by: 1000).enumerated() {
            let batch = Array(events[start..<start + 1000])
            var profiles = try store.load(Array(Set(batch.map(\.user))))
            for e in batch {
                var p = profiles[e.user] ?? UserProfile(user: e.user, at: e.time)
                _ = updater.apply(e, to: &p)
                profiles[e.user] = p
            }
            try store.save(Array(profiles.values), checkpoint: nil)
            acknowledged += batch.count
            if b == 9 {
                cluster.crash(victim)
                Thread.detachNewThread {
                    // A replica has taken the slot over (-1 while the nodes still disagree).
                    while true {
                        let now = (try? cluster.master(ofSlot: ClusterSlot.of("failover:p:{u7}"))) ?? -1
                        if now > 0 && now != victim { break }
                        usleep(100_000)
                    }
                    try? cluster.restart(victim)
                    restarted.withLock { $0 = true }
                }
            }
        }
        #expect(acknowledged == events.count)
        #expect(restarted.withLock { $0 })
        #expect(try cluster.master(ofSlot: ClusterSlot.of("failover:p:{u7}")) != victim)
        let want = Self.expected(events)
        let got = try RedisClusterProfileStore(client: RedisClusterClient(seeds: cluster.seeds), namespace: "failover").load(Array(want.keys))
        #expect(got.count == want.count)
        #expect(want.allSatisfy { got[$0.key] == $0.value })
    }
}
