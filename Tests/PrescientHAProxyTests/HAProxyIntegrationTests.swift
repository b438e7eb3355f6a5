import Foundation
import PrescientCore
import PrescientHAProxy
import PrescientHTTP
import PrescientRuntime
import PrescientTestKit
import Testing

/// The HAProxy adapter against a real HAProxy 2.6 (Debian `haproxy`) on loopback, with real HTTP
/// backends (one per region, each answering its region's name): a request carrying `X-User`
/// lands where Prescient's plan sends that user, before and after a change.
@Suite(.serialized) struct HAProxyIntegrationTests {
    /// An HTTP backend that answers its own name.
    final class Named: HTTPHandler {
        let name: String
        init(_ name: String) { self.name = name }
        func handle(_ r: HTTPRequest) -> HTTPResponse { HTTPResponse(status: 200, contentType: "text/plain", text: name) }
    }

    final class Fixture {
        let dir: String, port: Int, mapFile: String
        let backends: [MicroHTTPServer]
        let haproxy: HAProxyServer
        let runtime: HAProxyRuntime
        let sink: HAProxyRouteSink
        let regions = PrescientConfig.default.regions

        init() throws {
            dir = TestFiles.scratchDirectory("haproxy")
            port = RealServer.freePort(offset: 3)
            mapFile = dir + "/users.map"
            backends = try regions.map { r in
                let s = MicroHTTPServer(handler: Named(r.name))
                try s.start()
                return s
            }
            haproxy = try HAProxyServer(dir: dir, port: port, mapFile: mapFile, backends: zip(regions, backends).map { ($0.name, Int($1.port)) })
            runtime = HAProxyRuntime(socketPath: haproxy.socket)
            sink = HAProxyRouteSink(runtime: runtime, mapFile: mapFile, weightsBackend: "weights")
        }

        func restart() throws { try haproxy.restart() }

        /// The body of a request through HAProxy carrying `X-User: user`.
        func landing(_ user: String, path: String = "/") throws -> String {
            try RealServer.run("/usr/bin/curl", ["-s", "--max-time", "5", "-H", "X-User: \(user)", "http://127.0.0.1:\(port)\(path)"]).output
        }

        deinit {
            backends.forEach { $0.stop() }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    let users = (0..<3000).map { (user: "u\($0)", home: $0 % 4) }

    @Test func requestsLandWhereThePlanSendsThemBeforeAndAfterAChangeAndAfterAReload() throws {
        let f = try Fixture()
        #expect(try f.landing("u1") == "default")
        let calm = RoutingPlan.make(regions: f.regions, demand: [4, 4, 4, 4], capacity: [8, 8, 8, 8])
        try f.sink.publish(RouteTable.make(plan: calm, users: users, backendPrefix: "region-"))
        for (user, home) in users.prefix(8) { #expect(try f.landing(user) == f.regions[home].name) }
        #expect(try f.sink.entries().count == users.count)

        // eu-west goes short: 30 % of its users move, to us-east first (75 ms).
        let busy = RoutingPlan.make(regions: f.regions, demand: [4, 10, 4, 4], capacity: [8, 7, 8, 8], previous: calm)
        let table = RouteTable.make(plan: busy, users: users, backendPrefix: "region-")
        try f.sink.publish(table)
        let moved = users.filter { $0.home == 1 && busy.target(home: 1, bucket: RoutingPlan.bucket($0.user)) != 1 }
        let stayed = users.filter { $0.home == 1 && busy.target(home: 1, bucket: RoutingPlan.bucket($0.user)) == 1 }
        #expect(abs(Double(moved.count) / Double(moved.count + stayed.count) - 0.3) < 0.05)
        for (user, _) in moved.prefix(5) { #expect(try f.landing(user) == "us-east") }
        for (user, _) in stayed.prefix(5) { #expect(try f.landing(user) == "eu-west") }
        // Weights follow the plan's load per region.
        let state = try f.runtime.servers(backend: "weights")
        #expect(Dictionary(uniqueKeysWithValues: state.map { ($0.name, $0.weight) }) == table.weights)
        // The map file holds the same table, so a reload keeps it.
        let file = try String(contentsOfFile: f.mapFile, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(file.count == users.count)
        try f.restart()
        for (user, _) in moved.prefix(3) { #expect(try f.landing(user) == "us-east") }
    }

    @Test func aBadKeyChangesNothingAndARefusalIsNamed() throws {
        let f = try Fixture()
        let plan = RoutingPlan(regions: f.regions)
        try f.sink.publish(RouteTable.make(plan: plan, users: Array(users.prefix(10)), backendPrefix: "region-"))
        let before = try String(contentsOfFile: f.mapFile, encoding: .utf8)
        var bad = RouteTable.make(plan: plan, users: Array(users.prefix(10)), backendPrefix: "region-")
        bad.entries.append((key: "has space", backend: "region-us-east"))
        #expect(throws: RuntimeError.self) { try f.sink.publish(bad) }
        #expect(try String(contentsOfFile: f.mapFile, encoding: .utf8) == before)
        #expect(try f.sink.entries().count == 10)
        do {
            try f.runtime.send(.setWeight(backend: "weights", server: "mars", weight: 3))
            Issue.record("a missing server was accepted")
        } catch {
            #expect(error.message.contains("'set weight weights/mars 3' refused") && error.message.contains("No such server"))
        }
    }

    @Test func serversAreAddedEnabledDrainedAndDeletedAsInstancesComeAndGo() throws {
        let f = try Fixture()
        try f.sink.publish(RouteTable(entries: [(key: "p1", backend: "pool")], weights: [:]))
        let a = BackendServer(name: "i-1", address: "127.0.0.1", port: Int(f.backends[0].port), weight: 10)
        let b = BackendServer(name: "i-2", address: "127.0.0.1", port: Int(f.backends[1].port), weight: 10)
        let added = try f.runtime.sync(backend: "pool", wanted: [a, b])
        #expect(added.count == 4)
        #expect(try f.runtime.servers(backend: "pool").map(\.admin) == [.ready, .ready])
        let seen = try Set((0..<6).map { _ in try f.landing("p1") })
        #expect(seen == ["us-east", "eu-west"])
        // i-2 terminates: drained first, then deleted at the next sync.
        #expect(try f.runtime.sync(backend: "pool", wanted: [a]) == [.drainServer(backend: "pool", server: "i-2")])
        #expect(try f.runtime.servers(backend: "pool").first { $0.name == "i-2" }?.admin == .draining)
        #expect(try Set((0..<4).map { _ in try f.landing("p1") }) == ["us-east"])
        _ = try f.runtime.sync(backend: "pool", wanted: [a])
        #expect(try f.runtime.servers(backend: "pool").map(\.name) == ["i-1"])
        // Reweight.
        var heavier = a; heavier.weight = 50
        #expect(try f.runtime.sync(backend: "pool", wanted: [heavier]) == [.setWeight(backend: "pool", server: "i-1", weight: 50)])
    }
}
