import PrescientCore
import PrescientRuntime
import PrescientSim
import Synchronization

/// `serve`'s control loop: every interval, forecast → plan → actuate, on the demand of the events
/// ingested so far, with the last decisions kept for the API (`/v1/plan`, `/v1/forecast`,
/// `/v1/route`, the dashboard) and the metrics.
///
/// Demand is accumulated per region and minute from a fixed epoch (`historyDays` before start, so
/// backfilled events count and minute indices never shift) by `demand`, an `EventSink` the
/// ingestor feeds after each commit. Each `tick(now:)` runs `PrescientPolicy` for every region at
/// the current minute on the configured actuator (the simulated cloud) — the same code the
/// replays score.
public final class ControlLoop: Controller {
    struct State {
        var builder: DemandTraceBuilder
        var policy: PrescientPolicy
        var cloud: SimulatedCloud
        var decisions: [ScalingDecision] = []
        var ticks = 0
        var lastTick: Timestamp?
        var forecasts: [String: RegionForecast] = [:]
        var trace: DemandTrace?
        /// Per region: (minute, ready CPU in vCPU) after each tick, the last two days.
        var capacity: [String: [(minute: Int, vcpu: Double)]] = [:]
        /// Events added to hours the forecasts were fitted on (a backfill): refit at the next tick.
        var backfilled = 0
    }

    /// One region's hourly forecast per resource, from the last tick (forecast units: vCPU, GiB, Mbit/s).
    public struct RegionForecast: Sendable {
        public var start: Timestamp
        public var p10: [Resource: [Double]], p50: [Resource: [Double]], p90: [Resource: [Double]]
    }

    public let config: PrescientConfig
    public let epoch: Timestamp
    let metrics: MetricsRegistry
    let log: StructuredLog
    let forecaster: any Forecaster
    private let state: Mutex<State>
    /// The routing plan after the last tick (read by every route; never waits for a tick).
    private let plan: Mutex<RoutingPlan>
    /// Hours forecast each tick (the API serves any horizon up to it).
    public static let forecastHours = 48
    public static let historyDays = 28

    public init(config: PrescientConfig, start: Timestamp, metrics: MetricsRegistry, log: StructuredLog, failureRate: Double = 0) {
        self.config = config; self.metrics = metrics; self.log = log
        epoch = Timestamp(milliseconds: (start.milliseconds / 3_600_000 - Int64(Self.historyDays * 24)) * 3_600_000)
        forecaster = ForecastModels.default()
        let planner = CapacityPlanner(scaling: config.scaling, slo: config.slo, catalog: config.instanceTypes)
        var cloud = SimulatedCloud(regions: config.regionNames, catalog: config.instanceTypes, start: start, failureRate: failureRate)
        for r in config.regions.indices { cloud.seed(region: r, type: config.instanceTypes[0].name, count: config.scaling.minInstancesPerRegion) }
        plan = Mutex(RoutingPlan(regions: config.regions))
        state = Mutex(State(builder: DemandTraceBuilder(config: config, start: epoch), policy: PrescientPolicy(planner: planner), cloud: cloud))
        metrics.declare("prescient_forecast", .gauge, help: "Forecast demand for the coming hour per region, resource (vCPU, GiB, Mbit/s) and quantile.")
        metrics.declare("prescient_capacity", .gauge, help: "Capacity per region and resource (vCPU, GiB, Mbit/s): ready, or planned (ready + booting).")
        metrics.declare("prescient_instances", .gauge, help: "Instances per region: ready or planned.")
        metrics.declare("prescient_decisions_total", .counter, help: "Scaling decisions by region, kind (scale_out, scale_in) and the rule behind them (forecast, trust_gate, above_forecast).")
        metrics.declare("prescient_holds_total", .counter, help: "Control steps without action, by reason.")
        metrics.declare("prescient_control_loop_seconds", .histogram, help: "Duration of one control-loop tick, seconds.",
                        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5])
        metrics.declare("prescient_cost_total", .gauge, help: "Cost of the actuated fleet so far (simulated cloud), currency units.")
    }

    /// The sink the ingestor feeds applied events to.
    public var demand: any EventSink { ObservingEventSink { [self] in add($0) } }

    func add(_ events: [Event]) {
        state.withLock { s in
            let fitted = s.forecasts.values.first?.start.milliseconds ?? Int64.min
            for e in events {
                s.builder.add(e)
                if e.time.milliseconds < fitted { s.backfilled += 1 }
            }
        }
    }

    /// One control step at `now` (called every `scaling.interval` by `serve`; tests call it directly).
    public func tick(now: Timestamp, monotonic: () -> Double) {
        let started = monotonic()
        state.withLock { s in
            let minute = max(1, Int((now.milliseconds - epoch.milliseconds) / 60_000))
            guard let trace = s.builder.build(minutes: minute + 1) else { return }
            s.trace = trace
            s.cloud.advance(to: now)
            for r in trace.regions.indices {
                let context = PolicyContext(minute: minute, region: r, fleet: s.cloud.fleets[r], trace: trace, catalog: config.instanceTypes,
                                            scaling: config.scaling, slo: config.slo)
                let decided = s.policy.decide(context)
                for d in decided where s.cloud.apply(d) != 0 {
                    s.decisions.append(d)
                    metrics.add("prescient_decisions_total", [("region", d.region), ("kind", d.delta > 0 ? "scale_out" : "scale_in"),
                                                              ("reason", Self.reasonClass(d.reason))])
                    log.info("scaling decision", [("region", d.region), ("type", d.instanceType), ("delta", "\(d.delta)"), ("reason", d.reason)])
                }
                if decided.isEmpty, let hold = s.policy.lastPlans[r]?.hold {
                    metrics.add("prescient_holds_total", [("reason", String(hold.prefix { $0 != ":" }))])
                }
                let fleet = s.cloud.fleets[r]
                for res in Resource.allCases {
                    metrics.set("prescient_capacity", [("region", trace.regions[r]), ("resource", res.rawValue), ("state", "ready")],
                                fleet.capacity(res, catalog: config.instanceTypes) / res.perForecastUnit)
                    metrics.set("prescient_capacity", [("region", trace.regions[r]), ("resource", res.rawValue), ("state", "planned")],
                                fleet.plannedCapacity(res, catalog: config.instanceTypes) / res.perForecastUnit)
                }
                metrics.set("prescient_instances", [("region", trace.regions[r]), ("state", "ready")], Double(fleet.ready))
                metrics.set("prescient_instances", [("region", trace.regions[r]), ("state", "planned")], Double(fleet.count))
                // The hourly forecast changes only when an hour completes or events arrive for the
                // hours it was fitted on: refit then, not every tick.
                if s.backfilled > 0 || s.forecasts[trace.regions[r]]?.start != trace.time(minute / 60 * 60) {
                    s.forecasts[trace.regions[r]] = forecast(trace, region: r, minute: minute)
                }
                s.capacity[trace.regions[r], default: []].append((minute, fleet.capacity(.cpu, catalog: config.instanceTypes) / Resource.cpu.perForecastUnit))
                if s.capacity[trace.regions[r]]!.count > 2 * 2880 { s.capacity[trace.regions[r]]!.removeFirst(2880) }
            }
            s.backfilled = 0
            s.decisions = Array(s.decisions.suffix(500))
            // Regions without a forecast yet count as exactly full: they neither send nor take users.
            let capacity = config.regions.indices.map { s.cloud.fleets[$0].plannedCapacity(.cpu, catalog: config.instanceTypes) / Resource.cpu.perForecastUnit }
            let demand = config.regionNames.enumerated().map { i, region in s.forecasts[region]?.p90[.cpu]?.first ?? capacity[i] }
            plan.withLock { $0 = RoutingPlan.make(regions: config.regions, demand: demand, capacity: capacity, previous: $0) }
            s.ticks += 1
            s.lastTick = now
            metrics.set("prescient_cost_total", [], s.cloud.cost)
        }
        metrics.observe("prescient_control_loop_seconds", [], monotonic() - started)
    }

    /// The rule that drove a decision, from its reason, as a bounded label value: `trust_gate`
    /// (fell back to max(predictive, reactive)), `above_forecast` (demand observed above the
    /// forecast's p99), or `forecast`.
    static func reasonClass(_ reason: String) -> String {
        if reason.contains("trust gate") { return "trust_gate" }
        if reason.contains("above the forecast") { return "above_forecast" }
        return "forecast"
    }

    /// The hourly forecast of every resource of a region from its complete hours.
    func forecast(_ trace: DemandTrace, region r: Int, minute: Int) -> RegionForecast {
        let hour = minute / 60
        var out = RegionForecast(start: trace.time(hour * 60), p10: [:], p50: [:], p90: [:])
        for res in Resource.allCases {
            let hourly = trace.hourly(region: r, res, endingAt: hour * 60).map { $0 / res.perForecastUnit }
            let firstNonZero = hourly.firstIndex { $0 > 0 } ?? hourly.count
            let history = Array(hourly[firstNonZero...])
            let values: (lo: [Double], mid: [Double], hi: [Double])
            if history.count >= 48 {
                let f = forecaster.forecast(ForecastInput(values: history, calendar: SeriesCalendar(start: trace.time((hour - history.count) * 60), stepSeconds: 3600)),
                                            horizon: Self.forecastHours, quantiles: [0.1, 0.5, 0.9])
                values = (f.quantiles[0.1] ?? f.mean, f.quantiles[0.5] ?? f.mean, f.quantiles[0.9] ?? f.mean)
            } else {
                // Under two days of history: the last complete hour, held (the policy's stand-in too).
                let last = history.last ?? 0
                let flat = [Double](repeating: last, count: Self.forecastHours)
                values = (flat, flat, flat)
            }
            out.p10[res] = values.lo; out.p50[res] = values.mid; out.p90[res] = values.hi
            for (q, v) in [("0.1", values.lo), ("0.5", values.mid), ("0.9", values.hi)] {
                metrics.set("prescient_forecast", [("region", trace.regions[r]), ("resource", res.rawValue), ("quantile", q)], v.first ?? 0)
            }
        }
        return out
    }

    /// What the API reads: a consistent copy.
    public struct Snapshot: Sendable {
        public var ticks: Int
        public var lastTick: Timestamp?
        public var decisions: [ScalingDecision]
        public var plans: [String: (hold: String?, basis: String, quantile: Double, trusted: Bool)]
        public var forecasts: [String: RegionForecast]
        public var fleets: [String: RegionFleet]
        public var trace: DemandTrace?
        public var cost: Double
        public var capacity: [String: [(minute: Int, vcpu: Double)]]
        /// The minute index (from `epoch`) of the last tick.
        public var minute: Int
    }

    public func snapshot() -> Snapshot {
        state.withLock { s in
            var plans: [String: (hold: String?, basis: String, quantile: Double, trusted: Bool)] = [:]
            for (r, p) in s.policy.lastPlans { plans[config.regionNames[r]] = (p.hold, p.basis.text, p.quantile, p.trusted) }
            var fleets: [String: RegionFleet] = [:]
            for (i, f) in s.cloud.fleets.enumerated() { fleets[config.regionNames[i]] = f }
            let minute = s.lastTick.map { Int(($0.milliseconds - epoch.milliseconds) / 60_000) } ?? 0
            return Snapshot(ticks: s.ticks, lastTick: s.lastTick, decisions: s.decisions, plans: plans, forecasts: s.forecasts,
                            fleets: fleets, trace: s.trace, cost: s.cloud.cost, capacity: s.capacity, minute: minute)
        }
    }

    public func routingPlan() -> RoutingPlan { plan.withLock { $0 } }

    public func answer(_ request: HTTPRequest) -> HTTPResponse? {
        switch request.path {
        case "/v1/forecast": return ControlAPI.forecast(request, snapshot(), config: config)
        case "/v1/plan": return ControlAPI.plan(snapshot(), routing: routingPlan(), config: config)
        case "/": return Dashboard.page(snapshot(), config: config)
        default: return nil
        }
    }
}
