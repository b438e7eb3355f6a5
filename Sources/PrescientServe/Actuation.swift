import Dispatch
import PrescientCore
import PrescientRuntime
import Synchronization

/// Acts on each control step beyond capacity: publishes the routing plan to the load balancer
/// (`RouteSink`) and to DNS (`DNSUpdater`), and warms each region's cache (`CacheWarmer`).
///
/// Each target runs on its own serial queue, one round at a time: a round still running when
/// the next step comes is not doubled up (the step is skipped for that target, counted). A
/// failed round is logged, counted in `prescient_actuation_total{target,outcome}` and retried at
/// the next step; it never stops the loop or the other targets.
///
/// - Routes: the whole user → backend map when the plan's shares or weights changed, after a failure, or
///   every `refreshSeconds` (new users get routes; a restarted load balancer is refilled).
/// - DNS: the RRsets of `RegionRecords` that changed since the last accepted update.
/// - Warming: every `warming.intervalSeconds`, each cache's `WarmPlan` from the content the
///   ingested events asked for (`content`, an `EventSink` the ingestor feeds), with the round's
///   end as the deadline.
public final class Actuation: Sendable {
    public struct Routes: Sendable {
        public var sink: any RouteSink
        public var backendPrefix: String
        public var refreshSeconds: Double
        public init(sink: any RouteSink, backendPrefix: String, refreshSeconds: Double) {
            self.sink = sink; self.backendPrefix = backendPrefix; self.refreshSeconds = refreshSeconds
        }
    }

    public struct DNS: Sendable {
        public var updater: any DNSUpdater
        public var zone: String
        public var addresses: [String: [String]]
        public var ttl: UInt32
        public init(updater: any DNSUpdater, zone: String, addresses: [String: [String]], ttl: UInt32) {
            self.updater = updater; self.zone = zone; self.addresses = addresses; self.ttl = ttl
        }
    }

    let routes: Routes?
    let dns: DNS?
    let caches: [String: any CacheWarmer]
    let warming: WarmingSpec
    let index: RouteIndex
    let metrics: MetricsRegistry
    let log: StructuredLog
    let monotonic: @Sendable () -> Double

    struct RouteState { var published: RoutingPlan?; var at = -Double.infinity; var failed = false }
    private let routeState = Mutex(RouteState())
    private let dnsSent = Mutex<[DNSRRset]>([])
    private let lastWarm = Mutex<Double>(-.infinity)
    let popularity: Mutex<ContentPopularity>
    private let queues: [String: DispatchQueue]
    /// Targets whose round is running.
    private let busy = Mutex<Set<String>>([])

    public init(routes: Routes?, dns: DNS?, caches: [String: any CacheWarmer], warming: WarmingSpec, index: RouteIndex,
                metrics: MetricsRegistry, log: StructuredLog, monotonic: @escaping @Sendable () -> Double) {
        self.routes = routes; self.dns = dns; self.caches = caches; self.warming = warming; self.index = index
        self.metrics = metrics; self.log = log; self.monotonic = monotonic
        popularity = Mutex(ContentPopularity(halfLifeHours: warming.halfLifeHours, slotSeconds: warming.cacheTTLSeconds))
        let targets = ["routes", "dns", "warming"]
        queues = Dictionary(uniqueKeysWithValues: targets.map { ($0, DispatchQueue(label: "prescient.actuation.\($0)")) })
        metrics.declare("prescient_actuation_total", .counter, help: "Actuation rounds by target (routes, dns, warming) and outcome (ok, failed, skipped: the previous round still ran).")
        metrics.declare("prescient_route_entries", .gauge, help: "User → backend entries in the last map published to the load balancer.")
        metrics.declare("prescient_routing_share", .gauge, help: "Share of a region's users the routing plan serves from each region.")
        metrics.declare("prescient_dns_rrsets_total", .counter, help: "DNS RRsets replaced on the authoritative server.")
        metrics.declare("prescient_warm_keys_total", .counter, help: "Cache warming per region by outcome: fetched (was not cached), cached (already fresh), failed, skipped (past the deadline).")
    }

    /// Whether anything is configured to act on.
    public var isEmpty: Bool { routes == nil && dns == nil && caches.isEmpty }

    /// The sink the ingestor feeds applied events to (request paths → content popularity).
    public var content: any EventSink { ObservingEventSink { [self] in record($0) } }

    func record(_ events: [Event]) {
        let withPaths = events.filter { $0.path != nil }
        guard !withPaths.isEmpty, !caches.isEmpty else { return }
        let segments = withPaths.map { index.segment($0.user) ?? 0 }
        popularity.withLock { p in
            for (e, s) in zip(withPaths, segments) { p.record(region: e.region, segment: s, path: e.path!, at: e.time) }
        }
    }

    /// Hands this step's rounds to the targets (returns at once).
    public func step(plan: RoutingPlan, now: Timestamp) {
        for (r, region) in plan.regions.enumerated() {
            for (t, target) in plan.regions.enumerated() {
                metrics.set("prescient_routing_share", [("region", region), ("served_from", target)], plan.shares[r][t])
            }
        }
        if let routes { submit("routes") { () throws(RuntimeError) in try self.publishRoutes(plan, routes) } }
        if let dns { submit("dns") { () throws(RuntimeError) in try self.publishDNS(plan, dns) } }
        if !caches.isEmpty {
            let t = monotonic()
            let due = lastWarm.withLock { last in
                guard t - last >= warming.intervalSeconds else { return false }
                last = t
                return true
            }
            if due { submit("warming") { () throws(RuntimeError) in try self.warm(now: now) } }
        }
    }

    /// Waits until every round handed out so far has finished (tests, shutdown).
    public func waitForRounds() { for q in queues.values { q.sync {} } }

    private func submit(_ target: String, _ round: @escaping @Sendable () throws(RuntimeError) -> Void) {
        guard busy.withLock({ $0.insert(target).inserted }) else {
            metrics.add("prescient_actuation_total", [("target", target), ("outcome", "skipped")])
            return
        }
        queues[target]!.async {
            defer { self.busy.withLock { _ = $0.remove(target) } }
            do throws(RuntimeError) {
                try round()
                self.metrics.add("prescient_actuation_total", [("target", target), ("outcome", "ok")])
            } catch {
                self.metrics.add("prescient_actuation_total", [("target", target), ("outcome", "failed")])
                self.log.error("actuation failed; retried next step", [("target", target), ("error", error.message)])
            }
        }
    }

    func publishRoutes(_ plan: RoutingPlan, _ routes: Routes) throws(RuntimeError) {
        let state = routeState.withLock { $0 }
        let changed = state.published.map { $0.shares != plan.shares || $0.weights() != plan.weights() } ?? true
        guard changed || state.failed || monotonic() - state.at >= routes.refreshSeconds else { return }
        let table = RouteTable.make(plan: plan, users: index.homes(), backendPrefix: routes.backendPrefix)
        do {
            try routes.sink.publish(table)
        } catch {
            routeState.withLock { $0.failed = true }
            throw error
        }
        routeState.withLock { $0 = RouteState(published: plan, at: monotonic(), failed: false) }
        metrics.set("prescient_route_entries", [], Double(table.entries.count))
        if changed { log.info("routes published", [("entries", "\(table.entries.count)"), ("weights", table.weights.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))]) }
    }

    func publishDNS(_ plan: RoutingPlan, _ dns: DNS) throws(RuntimeError) {
        let wanted = RegionRecords.records(plan: plan, zone: dns.zone, addresses: dns.addresses, ttl: dns.ttl)
        let changed = RegionRecords.changed(wanted, since: dnsSent.withLock { $0 })
        guard !changed.isEmpty else { return }
        try dns.updater.replace(changed)
        dnsSent.withLock { $0 = wanted }
        metrics.add("prescient_dns_rrsets_total", [], Double(changed.count))
        log.info("dns updated", [("rrsets", "\(changed.count)"), ("names", Set(changed.map(\.name)).sorted().joined(separator: ","))])
    }

    func warm(now: Timestamp) throws(RuntimeError) {
        let started = monotonic()
        let deadline = started + warming.intervalSeconds
        var failures: [String] = []
        for (region, warmer) in caches.sorted(by: { $0.key < $1.key }) {
            let plan = popularity.withLock { p in
                WarmPlan.make(popularity: p, region: region, now: now, cacheTTLSeconds: warming.cacheTTLSeconds, maxItems: warming.items,
                              ratePerSecond: warming.ratePerSecond, secondsToDeadline: max(0, deadline - monotonic()))
            }
            let report = warmer.warm(plan.items.map(\.key), ratePerSecond: warming.ratePerSecond, deadline: deadline)
            for (outcome, n) in [("fetched", report.fetched), ("cached", report.alreadyCached), ("failed", report.failed.count), ("skipped", report.skipped)] where n > 0 {
                metrics.add("prescient_warm_keys_total", [("region", region), ("outcome", outcome)], Double(n))
            }
            log.info("cache warmed", [("region", region), ("fetched", "\(report.fetched)"), ("cached", "\(report.alreadyCached)"),
                                      ("failed", "\(report.failed.count)"), ("skipped", "\(report.skipped)"), ("plan", plan.reason)])
            if let first = report.failed.first { failures.append("\(region): \(report.failed.count) keys failed, first \(first.key): \(first.reason)") }
        }
        if !failures.isEmpty { throw RuntimeError(.io, failures.joined(separator: "; ")) }
    }
}
