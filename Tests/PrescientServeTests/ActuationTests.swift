import PrescientCore
import PrescientRuntime
import PrescientServe
import PrescientTestKit
import Synchronization
import Testing

@Suite struct ActuationTests {
    let config = PrescientConfig.default
    final class Clock: Sendable { let now = Mutex<Double>(0) }
    let clock = Clock()

    func make(_ sink: RecordingRouteSink, _ zone: InMemoryDNSZone, _ warmer: RecordingCacheWarmer, index: RouteIndex,
              metrics: MetricsRegistry, lines: RecordingConsole) -> Actuation {
        let log = StructuredLog(format: .logfmt, minimum: .info, now: { Timestamp(seconds: 0) }, write: { lines.err($0) })
        return Actuation(routes: .init(sink: sink, backendPrefix: "region-", refreshSeconds: 300),
                         dns: .init(updater: zone, zone: "prescient.test", addresses: ["us-east": ["192.0.2.1"], "eu-west": ["192.0.2.2"]], ttl: 30),
                         caches: ["eu-west": warmer], warming: WarmingSpec(), index: index, metrics: metrics, log: log,
                         monotonic: { [clock] in clock.now.withLock { $0 } })
    }

    func profile(_ user: String, _ region: String) -> UserProfile {
        var p = UserProfile(user: user, at: Timestamp(seconds: 0))
        p.recentRegion = WeightedName(region, 1)
        return p
    }

    @Test func routesAreRepublishedOnlyWhenThePlanChangesAFailureIsRetriedAndDNSSendsOnlyChanges() {
        let sink = RecordingRouteSink(), zone = InMemoryDNSZone(), warmer = RecordingCacheWarmer(), metrics = MetricsRegistry()
        let lines = RecordingConsole()
        let index = RouteIndex(regions: config.regionNames)
        index.update((0..<100).map { profile("u\($0)", $0 % 2 == 0 ? "eu-west" : "us-east") })
        let a = make(sink, zone, warmer, index: index, metrics: metrics, lines: lines)
        let calm = RoutingPlan.make(regions: config.regions, demand: [2, 2, 1, 1], capacity: [4, 4, 2, 2])
        a.step(plan: calm, now: Timestamp(seconds: 3600)); a.waitForRounds()
        #expect(sink.published.count == 1 && sink.published[0].entries.count == 100)
        #expect(sink.published[0].entries.first { $0.key == "u0" }?.backend == "region-eu-west")
        #expect(zone.values("eu-west.prescient.test.", .a) == ["192.0.2.2"])
        let firstUpdate = zone.updates.withLock { $0.count }
        // Same plan: nothing sent again.
        a.step(plan: calm, now: Timestamp(seconds: 3660)); a.waitForRounds()
        #expect(sink.published.count == 1 && zone.updates.withLock { $0.count } == firstUpdate)
        // eu-west short, and the load balancer fails once: counted, logged, retried next step.
        let busy = RoutingPlan.make(regions: config.regions, demand: [2, 10, 1, 1], capacity: [8, 3, 2, 2], previous: calm)
        sink.failNext.withLock { $0 = 1 }
        a.step(plan: busy, now: Timestamp(seconds: 3720)); a.waitForRounds()
        #expect(sink.published.count == 1)
        #expect(metrics.render().contains(#"prescient_actuation_total{target="routes",outcome="failed"} 1"#))
        #expect(lines.stderr.contains("actuation failed; retried next step") && lines.stderr.contains("load balancer unreachable"))
        a.step(plan: busy, now: Timestamp(seconds: 3780)); a.waitForRounds()
        #expect(sink.published.count == 2)
        let moved = sink.published[1].entries.filter { $0.backend == "region-us-east" }.count
        #expect(moved > 50)   // the 50 us-east users plus eu-west's diverted share
        // DNS: only eu-west's RRsets changed (its name now answers with us-east's address).
        let last = zone.updates.withLock { $0.last! }
        #expect(Set(last.map(\.name)) == ["eu-west.prescient.test."])
        #expect(zone.values("eu-west.prescient.test.", .a) == ["192.0.2.1"])
        #expect(zone.values("eu-west.prescient.test.", .txt) == ["us-east=60", "eu-west=30", "ap-southeast=10"])
    }

    @Test func warmingFetchesWhatTheRegionsUsersAskedForEachInterval() throws {
        let sink = RecordingRouteSink(), zone = InMemoryDNSZone(), warmer = RecordingCacheWarmer(), metrics = MetricsRegistry()
        let index = RouteIndex(regions: config.regionNames)
        let a = make(sink, zone, warmer, index: index, metrics: metrics, lines: RecordingConsole())
        // A day of eu-west users asking for /home every 5 minutes, /rare once.
        var events: [Event] = []
        for m in stride(from: 0, to: 1440, by: 5) {
            events.append(Event(time: Timestamp(seconds: Int64(m * 60)), user: "u\(m)", region: "eu-west", feature: "home", path: "/home"))
        }
        events.append(Event(time: Timestamp(seconds: 600), user: "x", region: "eu-west", feature: "rare", path: "/rare"))
        _ = try a.content.write(events)
        let plan = RoutingPlan(regions: config.regions)
        a.step(plan: plan, now: Timestamp(seconds: 86_400)); a.waitForRounds()
        #expect(warmer.rounds.withLock { $0 } == [["/home"]])
        // Not yet an interval later: no second round.
        clock.now.withLock { $0 = 10 }
        a.step(plan: plan, now: Timestamp(seconds: 86_410)); a.waitForRounds()
        #expect(warmer.rounds.withLock { $0.count } == 1)
        clock.now.withLock { $0 = 400 }
        a.step(plan: plan, now: Timestamp(seconds: 86_800)); a.waitForRounds()
        #expect(warmer.rounds.withLock { $0.count } == 2)
        #expect(metrics.render().contains(#"prescient_warm_keys_total{region="eu-west",outcome="fetched"} 2"#))
    }
}
