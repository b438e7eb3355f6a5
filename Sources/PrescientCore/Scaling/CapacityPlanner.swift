/// Decides, for one region and one control step, how many instances of which type to launch or
/// terminate so capacity is ready before the forecast needs it, at the least expected cost.
/// Pure: everything it knows comes in `Input`; what it must remember (cooldown, stabilisation)
/// comes in and goes out as `Memory`.
///
/// Rules, in order (each decision's reason names the ones that acted):
/// 1. **Lead time**: instances launched now are ready after boot + `schedulingBufferSeconds`; the
///    scale-out window is [now + lead, now + lead + interval], the minutes this decision is the last
///    chance for. Scale-in looks at [now, now + lead + interval].
/// 2. **Quantile by cost** (`CostModel`): the level q* whose capacity minimises instance price +
///    penalty × P(demand > capacity) over the window, a launch charged its commitment (boot + the
///    shortest hold, max(stabilisation, cooldown)); a premium segment mix raises the penalty
///    (`penaltyWeight`) and so q*.
/// 3. **Needed capacity** per resource: the window's peak of max(median / `scaleOutThreshold`,
///    q* forecast × `safetyFactor`) — the median, normal operation, stays below the scale-out
///    threshold (below exhaustion); the cost-chosen tail, with the safety margin, fits in full
///    capacity. No target-utilisation set point: that is a reactive policy's headroom for the load
///    it cannot see coming; a forecast's headroom is its own measured uncertainty (the quantiles).
/// 4. **Trust gate**: with recent forecast error above `maxForecastError` or under
///    `minHistoryHours` of history, needed = max(predictive, reactive), reactive = observed demand /
///    `targetUtilisation` (the reactive set point is its own headroom: no safety factor on top). Trusted or not, demand already observed above the forecast's
///    0.99 level (the forecast is plainly wrong now) is met reactively: observed / target.
/// 5. **Thresholds**: usage = needed / capacity ready or booting by the window; scale out when
///    usage > 1; scale in only when the highest need over `stabilisationSeconds` keeps usage under
///    `scaleInThreshold` (hysteresis: hold in between), and never below the need of [now, window].
///    **Learning period**: with less than `learningHours` of history it scales out but never in.
/// 6. **Cooldown**: no scale-in within `cooldownSeconds` of the last action, and no scale-out within
///    it of a scale-in unless demand already exceeds ready capacity. Scale-out after scale-out is
///    not held: usage counts what is booting, so it is never a second reaction to one signal.
/// 7. **Mix**: launch the type that covers the shortfall of every resource at the lowest price;
///    terminate the most expensive per unit of the binding resource first.
/// 8. **Limits**: `maxStep`, per-type quota, min/max instances per region, and the budget per hour
///    left to this region.
public struct CapacityPlanner: Sendable {
    public var scaling: ScalingSpec
    public var slo: SLOSpec
    public var catalog: [InstanceTypeSpec]
    /// Trust gate thresholds.
    public var maxForecastError = 0.35
    public var minHistoryHours = 7.0 * 24

    public init(scaling: ScalingSpec, slo: SLOSpec, catalog: [InstanceTypeSpec]) {
        self.scaling = scaling; self.slo = slo; self.catalog = catalog
    }

    public struct Input: Sendable {
        public var now: Timestamp
        public var region: String
        /// Forecast demand per resource, minute 0 = now (capacity units).
        public var forecast: [Resource: QuantileForecast]
        /// Demand in the last minute, per resource.
        public var observed: [Resource: Double]
        public var fleet: RegionFleet
        /// Recent forecast error (WAPE, 0…) and hours of history behind the forecast.
        public var recentError: Double?
        public var historyHours: Double
        /// Multiplier on the under-provisioning penalty from the region's segment priorities.
        public var penaltyWeight: Double = 1
        /// Spending room left for this region, per hour (the budget minus the other regions).
        public var budgetPerHour: Double = .infinity

        public init(now: Timestamp, region: String, forecast: [Resource: QuantileForecast], observed: [Resource: Double],
                    fleet: RegionFleet, recentError: Double?, historyHours: Double) {
            self.now = now; self.region = region; self.forecast = forecast; self.observed = observed
            self.fleet = fleet; self.recentError = recentError; self.historyHours = historyHours
        }
    }

    /// What the planner remembers between steps for one region.
    public struct Memory: Sendable, Equatable {
        public var lastAction: Timestamp?
        /// Whether that action terminated instances (a scale-out then waits out the cooldown).
        public var lastActionScaledIn = false
        /// Recent recommendations (instances wanted), for scale-in stabilisation.
        public var recommendations: [Recommendation] = []
        public init() {}
    }

    /// Instances the planner wanted at an instant.
    public struct Recommendation: Sendable, Equatable {
        public var time: Timestamp
        public var count: Int
        public init(time: Timestamp, count: Int) { self.time = time; self.count = count }
    }

    public struct Plan: Sendable {
        public var decisions: [ScalingDecision]
        /// The quantile provisioned at, the capacity needed per resource, whether the trust gate fell back.
        public var quantile: Double
        public var needed: [Resource: Double]
        public var trusted: Bool
        /// Why nothing was done, when nothing was (short; `basis.text` has the figures).
        public var hold: String?
        /// The figures the plan rests on, rendered on demand (`text`): formatting them every
        /// minute for every region would cost more than planning.
        public var basis: Basis
    }

    /// The figures behind a plan.
    public struct Basis: Sendable {
        public var quantile: Double
        public var resource: Resource
        /// The binding resource's window peaks: median and q* forecast, and the capacity they need.
        public var median: Double, tail: Double
        public var needed: Double, readyBy: Timestamp, capacity: Double, usage: Double
        public var safety: Double, medianCeiling: Double
        public var gate: String

        public var text: String {
            let by = readyBy.rfc3339.dropFirst(11).prefix(5), a = { CapacityPlanner.amount($0, self.resource) }
            return "\(resource.rawValue) forecast by \(by): median \(a(median)), p\(CapacityPlanner.level(quantile)) \(a(tail)); max(median / \(ReasonFormat.percent(medianCeiling)), p\(CapacityPlanner.level(quantile)) × safety \(safety)) needs \(a(needed)); ready or booting by then \(a(capacity)) (\(ReasonFormat.percent(min(usage, 9.99))) of it needed)"
                + (gate.isEmpty ? "" : "; " + gate)
        }
    }

    public func plan(_ input: Input, memory: inout Memory) -> Plan {
        let now = input.now
        let minutes = input.forecast.values.map(\.minutes).min() ?? 0
        let lead = Int(((catalog.map(\.bootSeconds).max() ?? 60) + scaling.schedulingBufferSeconds) / 60)
        let interval = max(1, Int(scaling.intervalSeconds / 60))
        let window = min(lead, max(0, minutes - 1))..<min(minutes, lead + interval)
        let inWindow = 0..<min(minutes, lead + interval)
        let cost = CostModel(catalog: catalog, penaltyPerMinute: slo.underProvisionPenalty * input.penaltyWeight)

        // 2. The quantile, by expected cost over the scale-out window.
        let q = window.isEmpty ? scaling.quantile
            : cost.bestQuantile(input.forecast, window: window, safety: scaling.safetyFactor, medianCeiling: scaling.scaleOutThreshold,
                                current: input.fleet.count,
                                commitMinutes: ((catalog.map(\.bootSeconds).min() ?? 0) + max(scaling.stabilisationSeconds, scaling.cooldownSeconds)) / 60)
        // 3–4. Capacity needed, predictive and (through the trust gate) reactive.
        var needed: [Resource: Double] = [:]
        var keep: [Resource: Double] = [:]
        var peaks: [Resource: (median: Double, tail: Double)] = [:]
        for r in Resource.allCases {
            guard let f = input.forecast[r] else { continue }
            // The median (normal operation) under the scale-out threshold; the cost-chosen tail,
            // with the safety margin, within full capacity.
            let median = window.map { f.value(0.5, minute: $0) }.max() ?? 0, tail = window.map { f.value(q, minute: $0) }.max() ?? 0
            let medianAll = inWindow.map { f.value(0.5, minute: $0) }.max() ?? median, tailAll = inWindow.map { f.value(q, minute: $0) }.max() ?? tail
            needed[r] = max(median / scaling.scaleOutThreshold, tail * scaling.safetyFactor)
            peaks[r] = (median, tail)
            keep[r] = max(medianAll / scaling.scaleOutThreshold, tailAll * scaling.safetyFactor)
        }
        var trusted = true
        var gate = ""
        if let e = input.recentError, e > maxForecastError {
            trusted = false; gate = "trust gate: recent forecast error \(ReasonFormat.percent(e)) > \(ReasonFormat.percent(maxForecastError))"
        } else if input.historyHours < minHistoryHours {
            trusted = false; gate = "trust gate: \(Int(input.historyHours)) h of history < \(Int(minHistoryHours)) h"
        }
        if !trusted {
            for r in Resource.allCases {
                let reactive = (input.observed[r] ?? 0) / scaling.targetUtilisation
                needed[r] = max(needed[r] ?? 0, reactive); keep[r] = max(keep[r] ?? 0, reactive)
            }
            gate += ": using max(predictive, reactive)"
        } else {
            // Demand already above the forecast's 0.99 level is never ignored: the forecast is
            // wrong now, so the observed minute is met as a reactive policy would.
            for r in Resource.allCases {
                let observed = input.observed[r] ?? 0
                guard let f = input.forecast[r], f.minutes > 0, observed > f.value(max(q, 0.99), minute: 0) else { continue }
                let floor = observed / scaling.targetUtilisation
                if floor > (needed[r] ?? 0) {
                    needed[r] = floor; keep[r] = max(keep[r] ?? 0, floor)
                    gate = "observed \(r.rawValue) \(Self.amount(input.observed[r] ?? 0, r)) above the forecast"
                }
            }
        }

        // 5. Usage: the share of what will be there by the window that the plan needs.
        let readyBy = now.adding(seconds: Double(lead) * 60)
        var usage = 0.0, binding = Resource.cpu
        for r in Resource.allCases where (needed[r] ?? 0) > 0 {
            let cap = input.fleet.capacity(r, catalog: catalog, readyBy: readyBy)
            let u = cap > 0 ? needed[r]! / cap : .infinity
            if u > usage { usage = u; binding = r }
        }
        let wanted = cost.instancesFor(needed)
        memory.recommendations.append(Recommendation(time: now, count: wanted))
        memory.recommendations.removeAll { now.milliseconds - $0.time.milliseconds > Int64(scaling.stabilisationSeconds * 1000) }
        let inputs: [String: Double] = ["quantile": q, "usage": usage, "needed_\(binding.rawValue)": needed[binding] ?? 0,
                                        "instances": Double(input.fleet.count), "wanted": Double(wanted)]
        let basis = Basis(quantile: q, resource: binding, median: peaks[binding]?.median ?? 0, tail: peaks[binding]?.tail ?? 0,
                          needed: needed[binding] ?? 0, readyBy: readyBy,
                          capacity: input.fleet.capacity(binding, catalog: catalog, readyBy: readyBy), usage: usage,
                          safety: scaling.safetyFactor, medianCeiling: scaling.scaleOutThreshold, gate: gate)
        var plan = Plan(decisions: [], quantile: q, needed: needed, trusted: trusted, hold: nil, basis: basis)

        let inCooldown = memory.lastAction.map { Double(now.milliseconds - $0.milliseconds) / 1000 < scaling.cooldownSeconds } ?? false
        let overloaded = Resource.allCases.contains { (input.observed[$0] ?? 0) > input.fleet.capacity($0, catalog: catalog) }
        let count = input.fleet.count
        if usage > 1 + 1e-9 || count < scaling.minInstancesPerRegion {
            // A scale-out right after a scale-out is not a second reaction to one signal (usage
            // counts what is booting): only a scale-in's cooldown holds it, against flapping.
            if inCooldown && memory.lastActionScaledIn && !overloaded && count >= scaling.minInstancesPerRegion {
                plan.hold = "cooldown: last action (a scale-in) \(Int(Double(now.milliseconds - memory.lastAction!.milliseconds) / 1000)) s ago < \(Int(scaling.cooldownSeconds)) s"
                return plan
            }
            var shortfall: [Resource: Double] = [:]
            for r in Resource.allCases { shortfall[r] = max(0, (needed[r] ?? 0) - input.fleet.capacity(r, catalog: catalog, readyBy: readyBy)) }
            var room = min(scaling.maxStep, scaling.maxInstancesPerRegion - count)
            var budget = input.budgetPerHour - input.fleet.pricePerHour(catalog: catalog)
            var fleet = input.fleet
            let minimum = max(0, scaling.minInstancesPerRegion - count)
            while room > 0 {
                guard let (type, k) = cost.cheapestCover(shortfall, fleet: fleet, region: input.region, atLeast: minimum, room: room, budget: budget) else { break }
                plan.decisions.append(ScalingDecision(time: now, region: input.region, instanceType: type.name, delta: k,
                    reason: "scale out: launch \(k) × \(type.name) (ready by \(now.adding(seconds: type.bootSeconds).rfc3339.dropFirst(11).prefix(5))): " + basis.text,
                    inputs: inputs))
                room -= k; budget -= Double(k) * type.pricePerHour
                fleet.pools[type.name, default: .init()].booting += Array(repeating: now.adding(seconds: type.bootSeconds), count: k)
                for r in Resource.allCases { shortfall[r] = max(0, shortfall[r]! - Double(k) * type.capacity(r)) }
                if shortfall.values.allSatisfy({ $0 <= 0 }) && fleet.count >= scaling.minInstancesPerRegion { break }
            }
            if plan.decisions.isEmpty { plan.hold = "cannot scale out (quota, budget or max instances)" }
            if !plan.decisions.isEmpty { memory.lastAction = now; memory.lastActionScaledIn = false }
            return plan
        }
        // Scale in: only below the lower threshold, only by what stabilisation allows.
        let stable = memory.recommendations.map(\.count).max() ?? wanted
        if usage < scaling.scaleInThreshold && count > max(stable, scaling.minInstancesPerRegion) {
            if input.historyHours < scaling.learningHours {
                plan.hold = "learning: \(Int(input.historyHours)) h of history < \(Int(scaling.learningHours)) h: scaling out only"
                return plan
            }
            if inCooldown {
                plan.hold = "cooldown before scaling in"
                return plan
            }
            var excess = min(scaling.maxStep, count - max(stable, scaling.minInstancesPerRegion))
            var fleet = input.fleet
            for type in cost.mostExpensiveFirst(binding) where excess > 0 {
                guard let pool = fleet.pools[type.name], pool.count > 0 else { continue }
                // Ready ones only (booting ones are about to serve), never below what the window needs.
                var k = 0
                while k < min(excess, pool.ready) {
                    var trial = fleet
                    trial.pools[type.name]!.ready = pool.ready - (k + 1)
                    if Resource.allCases.contains(where: { trial.plannedCapacity($0, catalog: catalog) < (keep[$0] ?? 0) }) { break }
                    k += 1
                }
                guard k > 0 else { continue }
                plan.decisions.append(ScalingDecision(time: now, region: input.region, instanceType: type.name, delta: -k,
                    reason: "scale in: terminate \(k) × \(type.name): usage \(ReasonFormat.percent(usage)) < \(ReasonFormat.percent(scaling.scaleInThreshold)) and the highest recommendation over \(Int(scaling.stabilisationSeconds)) s is \(stable) instances; " + basis.text,
                    inputs: inputs))
                fleet.pools[type.name]!.ready = max(0, pool.ready - k)
                excess -= k
            }
            if !plan.decisions.isEmpty { memory.lastAction = now; memory.lastActionScaledIn = true } else { plan.hold = "scale in would leave the coming window short" }
            return plan
        }
        plan.hold = "hold: usage between \(ReasonFormat.percent(scaling.scaleInThreshold)) and 100 %"
        return plan
    }

    static func level(_ q: Double) -> String {
        let p = q * 100
        return p == p.rounded() ? "\(Int(p))" : "\(Double(Int(p * 10)) / 10)"
    }
    static func amount(_ v: Double, _ r: Resource) -> String {
        let s = ReasonFormat.tenths(v / r.perForecastUnit)
        switch r {
        case .cpu: return "\(s) vCPU"
        case .memory: return "\(s) GiB"
        case .network: return "\(s) Mbit/s"
        }
    }
}
