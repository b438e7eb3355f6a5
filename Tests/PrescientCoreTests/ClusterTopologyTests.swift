import PrescientCore
import Testing

@Suite struct ClusterTopologyTests {
    static func node(_ host: String, _ port: Int64) -> RESPValue { .array([.bulk(Array(host.utf8)), .integer(port), .bulk(Array("id".utf8))]) }

    @Test func aClusterSlotsReplyMapsEverySlotToItsMaster() throws {
        let reply = RESPValue.array([
            .array([.integer(0), .integer(5460), Self.node("127.0.0.1", 7000), Self.node("127.0.0.1", 7004)]),
            .array([.integer(5461), .integer(10922), Self.node("127.0.0.1", 7001), Self.node("127.0.0.1", 7005)]),
            .array([.integer(10923), .integer(16383), Self.node("::1", 7002)]),
        ])
        let t = try ClusterTopology(clusterSlots: reply)
        #expect(t.masters == ["127.0.0.1:7000", "127.0.0.1:7001", "[::1]:7002"])
        #expect(t.replicas == [["127.0.0.1:7004"], ["127.0.0.1:7005"], []])
        #expect(t.master(for: 0) == "127.0.0.1:7000" && t.master(for: 5461) == "127.0.0.1:7001" && t.master(for: 16383) == "[::1]:7002")
        #expect(t.isComplete)
        let partial = try ClusterTopology(clusterSlots: .array([.array([.integer(0), .integer(10), Self.node("h", 1)])]))
        #expect(!partial.isComplete && partial.master(for: 11) == nil)
        #expect(throws: ClusterTopology.FormatError.self) { try ClusterTopology(clusterSlots: .array([.array([.integer(5), .integer(2), Self.node("h", 1)])])) }
        #expect(throws: ClusterTopology.FormatError.self) { try ClusterTopology(clusterSlots: .simple("OK")) }
    }

    @Test(arguments: [
        ("MOVED 3999 127.0.0.1:6381", RedisRedirection.moved(slot: 3999, node: "127.0.0.1:6381")),
        ("ASK 3999 127.0.0.1:6381", .ask(slot: 3999, node: "127.0.0.1:6381")),
        ("CLUSTERDOWN The cluster is down", .retry("CLUSTERDOWN The cluster is down")),
        ("TRYAGAIN Multiple keys request during rehashing of slot", .retry("TRYAGAIN Multiple keys request during rehashing of slot")),
        ("LOADING Redis is loading the dataset in memory", .retry("LOADING Redis is loading the dataset in memory")),
        ("WRONGTYPE Operation against a key holding the wrong kind of value", .fail("WRONGTYPE Operation against a key holding the wrong kind of value")),
        ("MOVED nonsense", .fail("MOVED nonsense")),
    ])
    func errorRepliesSayWhatToDo(error: String, want: RedisRedirection) {
        #expect(RedisRedirection(error: error) == want)
    }
}
