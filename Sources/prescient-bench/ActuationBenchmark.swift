import Foundation
import PrescientCore
import PrescientDNS
import PrescientHAProxy
import PrescientRuntime
import PrescientTestKit

/// Issue 7's targets, each next to an anchor measured in the same run:
/// - routing decisions per second on one core (target ≥ 1M/s) vs a dictionary lookup of the same ids;
/// - a full refresh of 100,000 HAProxy map entries (target ≤ 2 s) vs HAProxy starting with that map file;
/// - a routing change → RFC 2136 update → visible through `dig` on loopback (target ≤ 100 ms) vs one dig alone.
enum ActuationBenchmark {
    static func now() -> Double { monotonicSeconds() }

    static func run(users: Int) {
        routing(users: users)
        do {
            try haproxy(entries: 100_000)
            try dns(changes: 20)
        } catch {
            print("actuation: \(error)")
        }
    }

    static func routing(users: Int) {
        let regions = PrescientConfig.default.regions
        let plan = RoutingPlan.make(regions: regions, demand: [8, 10, 3, 4], capacity: [12, 7, 4, 6])
        let ids = (0..<users).map { "user-\($0 * 7919 % 1_000_003)" }
        let homes = (0..<users).map { $0 % regions.count }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var decide = Double.infinity, lookup = Double.infinity, explain = Double.infinity
        var sink = 0
        for _ in 0..<5 {
            var t = now()
            for i in 0..<users { sink &+= plan.target(home: homes[i], bucket: RoutingPlan.bucket(ids[i])) }
            decide = min(decide, now() - t)
            t = now()
            for i in 0..<users { sink &+= index[ids[i]] ?? 0 }
            lookup = min(lookup, now() - t)
            t = now()
            for i in 0..<users / 10 { sink &+= plan.route(user: ids[i], here: regions[homes[i]].name, usual: nil).reason.utf8.count }
            explain = min(explain, (now() - t) * 10)
        }
        print("routing: \(users) users, one core, best of 5")
        print("  decisions (bucket hash + shares)   \(rate(Double(users) / decide))   (target ≥ 1 M/s)")
        print("  anchor: dictionary lookup of ids   \(rate(Double(users) / lookup))")
        print("  with a reason string (/v1/route)   \(rate(Double(users) / explain))   [\(sink % 2)]")
    }

    static func haproxy(entries: Int) throws {
        let dir = TestFiles.scratchDirectory("bench-haproxy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let regions = PrescientConfig.default.regions
        let mapFile = dir + "/users.map"
        let port = RealServer.freePort(offset: 11)
        let server = try HAProxyServer(dir: dir, port: port, mapFile: mapFile, backends: regions.enumerated().map { ($1.name, 9000 + $0) })
        let sink = HAProxyRouteSink(runtime: HAProxyRuntime(socketPath: server.socket), mapFile: mapFile, weightsBackend: "weights")
        var times: [Double] = []
        for round in 0..<5 {
            let plan = RoutingPlan.make(regions: regions, demand: [8, 10 + Double(round), 3, 4], capacity: [12, 7, 4, 6])
            let table = RouteTable.make(plan: plan, users: (0..<entries).map { ("user-\($0)", $0 % regions.count) }, backendPrefix: "region-")
            let t = now()
            try sink.publish(table)
            times.append(now() - t)
        }
        let shown = try sink.entries().count
        // Anchor: HAProxy loading the same 100k-entry map file at start.
        let t = now()
        try server.restart()
        let startup = now() - t
        times.sort()
        print("haproxy: full refresh of \(entries) map entries (prepare, add in payloads, commit, map file rewritten) + weights, 5 rounds")
        print("  median \(String(format: "%.3f", times[2])) s, worst \(String(format: "%.3f", times[4])) s   (target ≤ 2 s; HAProxy serves \(shown) entries)")
        print("  anchor: HAProxy starting with the same map file   \(String(format: "%.3f", startup)) s")
    }

    static func dns(changes: Int) throws {
        let dir = TestFiles.scratchDirectory("bench-bind")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secret = Base64.encode((0..<32).map { UInt8($0 * 7 & 0xFF) })
        let port = RealServer.freePort(offset: 12)
        let bind = try BINDServer(dir: dir, port: port, secret: secret, otherSecret: secret)
        let updater = RFC2136Updater(server: "127.0.0.1", port: port, zone: BINDServer.zone, key: TSIGKey(name: "prescient-key", base64Secret: secret)!)
        let regions = PrescientConfig.default.regions
        let addresses = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1.name, ["192.0.2.\($0 + 1)"]) })
        var sent: [DNSRRset] = []
        var previous = RoutingPlan.make(regions: regions, demand: [1, 1, 1, 1], capacity: [4, 4, 4, 4])
        var visible: [Double] = [], update: [Double] = [], digAlone: [Double] = []
        for k in 0..<changes {
            // Alternate eu-west between serving its users and sending most of them to us-east.
            let short = k % 2 == 0
            let t0 = now()
            let plan = RoutingPlan.make(regions: regions, demand: [1, short ? 10 : 1, 1, 1], capacity: [9, 3, 4, 4], previous: previous)
            let wanted = RegionRecords.records(plan: plan, zone: BINDServer.zone, addresses: addresses, ttl: 30)
            let changed = RegionRecords.changed(wanted, since: sent)
            try updater.replace(changed)
            let t1 = now()
            let expect = short ? ["192.0.2.1"] : ["192.0.2.2"]
            while try bind.dig("eu-west.\(BINDServer.zone)", "A") != expect {
                if now() - t0 > 5 { throw TestFailure("the change never became visible") }
            }
            let t2 = now()
            _ = try bind.dig("ns.\(BINDServer.zone)", "A")
            digAlone.append(now() - t2)
            visible.append(t2 - t0); update.append(t1 - t0)
            sent = wanted; previous = plan
        }
        func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
        print("dns: routing decision → RFC 2136 update (TSIG) → visible through dig, BIND 9 on loopback, \(changes) changes")
        print("  decision to visible: median \(ms(median(visible))), worst \(ms(visible.max()!))   (target ≤ 100 ms)")
        print("  of which the update (signed, answered NOERROR, answer verified): median \(ms(median(update)))")
        print("  anchor: one dig alone (process start + query): median \(ms(median(digAlone)))")
    }

    static func rate(_ perSecond: Double) -> String { String(format: "%.2f M/s", perSecond / 1e6) }
    static func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
}

