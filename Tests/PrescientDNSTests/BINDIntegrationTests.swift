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
        let named: RealServer
        let key = TSIGKey(name: "prescient-key", base64Secret: BINDIntegrationTests.secret)!

        init() throws {
            dir = TestFiles.scratchDirectory("bind")
            port = RealServer.freePort(offset: 5)
            let conf = """
            key "prescient-key" { algorithm hmac-sha256; secret "\(BINDIntegrationTests.secret)"; };
            key "other-key" { algorithm hmac-sha256; secret "\(BINDIntegrationTests.otherSecret)"; };
            options {
                directory "\(dir)";
                listen-on port \(port) { 127.0.0.1; };
                listen-on-v6 { none; };
                pid-file "\(dir)/named.pid";
                recursion no;
                dnssec-validation no;
            };
            controls { };
            zone "prescient.test" {
                type primary;
                file "\(dir)/prescient.test.db";
                update-policy { grant prescient-key zonesub ANY; };
            };
            """
            let zone = """
            $TTL 60
            @ IN SOA ns.prescient.test. admin.prescient.test. 1 3600 600 86400 60
            @ IN NS ns.prescient.test.
            ns IN A 127.0.0.1
            eu-west IN A 192.0.2.99

            """
            try conf.write(toFile: dir + "/named.conf", atomically: true, encoding: .utf8)
            try zone.write(toFile: dir + "/prescient.test.db", atomically: true, encoding: .utf8)
            named = try RealServer("named", executable: "/usr/sbin/named", arguments: ["-c", dir + "/named.conf", "-g", "-n", "1"], log: dir + "/named.log")
            let port = self.port
            try named.waitUntil("answering") { RealServer.accepts(port) && (try? Self.dig(port, "ns.prescient.test", "A")) == ["127.0.0.1"] }
        }

        func updater(_ key: TSIGKey? = nil) -> RFC2136Updater {
            RFC2136Updater(server: "127.0.0.1", port: port, zone: "prescient.test", key: key ?? self.key)
        }

        static func dig(_ port: Int, _ name: String, _ type: String, tcp: Bool = false) throws -> [String] {
            let out = try RealServer.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(port)", "+short", "+time=2", "+tries=1"] + (tcp ? ["+tcp"] : []) + [name, type])
            return out.output.split(separator: "\n").map(String.init).sorted()
        }

        func dig(_ name: String, _ type: String) throws -> [String] { try Self.dig(port, name, type) }

        deinit {
            named.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
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
        #expect(try Fixture.dig(f.port, "big.prescient.test", "A", tcp: true).count == 60)
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
