import Foundation
import PrescientCore
import PrescientDNS
import PrescientRuntime
import PrescientTestKit
import Synchronization
import Testing

/// RFC2136Updater against a real BIND 9 (Debian `bind9`) on loopback with a TSIG-protected
/// dynamic zone; `dig` (a real client) checks what the server serves.
@Suite(.serialized) struct BINDIntegrationTests {
    static let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let otherSecret = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="

    final class Fixture {
        let dir: String, port: Int
        let bind: BINDServer
        let key = TSIGKey(name: "prescient-key", base64Secret: BINDIntegrationTests.secret)!

        init() throws {
            dir = TestFiles.scratchDirectory("bind")
            port = RealServer.freePort(offset: 5)
            bind = try BINDServer(dir: dir, port: port, secret: BINDIntegrationTests.secret, otherSecret: BINDIntegrationTests.otherSecret)
        }

        func updater(_ key: TSIGKey? = nil) -> RFC2136Updater {
            RFC2136Updater(server: "127.0.0.1", port: port, zone: "prescient.test", key: key ?? self.key)
        }

        func dig(_ name: String, _ type: String) throws -> [String] { try bind.dig(name, type) }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    @Test func replacedRecordsAreServedAtOnce() throws {
        let f = try Fixture()
        #expect(try f.dig("eu-west.prescient.test", "A") == ["192.0.2.99"])
        try f.updater().replace([DNSRRset(name: "eu-west.prescient.test.", type: .a, ttl: 30, values: ["192.0.2.2", "192.0.2.3"]),
                                 DNSRRset(name: "eu-west.prescient.test.", type: .aaaa, ttl: 30, values: ["2001:db8::2"]),
                                 DNSRRset(name: "eu-west.prescient.test.", type: .txt, ttl: 30, values: ["eu-west=67", "us-east=33"])])
        #expect(try f.dig("eu-west.prescient.test", "A") == ["192.0.2.2", "192.0.2.3"])   // replaced, not added to
        #expect(try f.dig("eu-west.prescient.test", "AAAA") == ["2001:db8::2"])
        #expect(try f.dig("eu-west.prescient.test", "TXT") == [#""eu-west=67" "us-east=33""#])
        // A plan's records, then only the changes.
        let regions = PrescientConfig.default.regions
        let plan = RoutingPlan.make(regions: regions, demand: [1, 10, 1, 1], capacity: [8, 3, 1, 1])
        let records = RegionRecords.records(plan: plan, zone: "prescient.test", addresses: ["us-east": ["192.0.2.1"], "eu-west": ["192.0.2.2"]], ttl: 30)
        try f.updater().replace(records)
        #expect(try f.dig("eu-west.prescient.test", "A") == ["192.0.2.1"])
        #expect(try f.dig("eu-west.prescient.test", "AAAA") == [])
        #expect(try f.dig("eu-west.prescient.test", "TXT") == [#""us-east=70" "eu-west=30""#])
    }

    @Test func anUpdateLargerThanADatagramGoesOverTCP() throws {
        let f = try Fixture()
        let many = (1...60).map { "192.0.2.\($0)" }
        let sets = [DNSRRset(name: "big.prescient.test.", type: .a, ttl: 30, values: many)]
        #expect(try sets.flatMap { try $0.replacement() }.count * 30 > 512)
        try f.updater().replace(sets)
        #expect(try f.bind.dig("big.prescient.test", "A", tcp: true).count == 60)
    }

    @Test func aWrongSecretAnUnknownKeyAndAnUngrantedKeyAreRefusedByNameAndChangeNothing() throws {
        let f = try Fixture()
        let change = [DNSRRset(name: "eu-west.prescient.test.", type: .a, ttl: 30, values: ["192.0.2.66"])]
        let cases: [(TSIGKey, String)] = [
            (TSIGKey(name: "prescient-key", base64Secret: Self.otherSecret)!, "BADSIG"),
            (TSIGKey(name: "nobody-key", base64Secret: Self.secret)!, "BADKEY"),
            (TSIGKey(name: "other-key", base64Secret: Self.otherSecret)!, "REFUSED"),
        ]
        for (key, why) in cases {
            do {
                try f.updater(key).replace(change)
                Issue.record("\(key.name) was accepted")
            } catch {
                #expect(error.message.contains(why), "\(error.message)")
                #expect(error.kind == .configuration)
            }
        }
        #expect(try f.dig("eu-west.prescient.test", "A") == ["192.0.2.99"])
    }

    @Test func noAnswerIsRetriedWithBackoffThenNamed() {
        let pauses = Mutex<[Double]>([])
        let port = RealServer.freePort(offset: 6)
        var u = RFC2136Updater(server: "127.0.0.1", port: port, zone: "prescient.test", key: TSIGKey(name: "k", secret: [1, 2, 3]),
                               pause: { s in pauses.withLock { $0.append(s) } })
        u.timeout = 0.2
        do {
            try u.replace([DNSRRset(name: "x.prescient.test.", type: .a, ttl: 30, values: ["192.0.2.1"])])
            Issue.record("an update with no server succeeded")
        } catch {
            #expect(error.message.contains("no accepted answer after 4 attempts"))
        }
        #expect(pauses.withLock { $0 } == [0.1, 0.2, 0.4])
    }
}
