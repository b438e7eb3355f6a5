import PrescientCore

/// Replays a demand trace through scaling policies on the simulated cloud, minute by minute, and
/// scores each: cost, under-provisioned resource-minutes (a minute in which a region's demand of a
/// resource exceeds its ready capacity), scaling actions with their reasons.
public struct Replay: Sendable {
    public var trace: DemandTrace
    public var catalog: [InstanceTypeSpec]
    public var scaling: ScalingSpec
    public var slo: SLOSpec
    public var failureRate = 0.0
    public var seed: UInt64 = 1
    /// Minutes between the points kept for charts.
    public var chartStep = 15

    public init(trace: DemandTrace, config: PrescientConfig) {
        self.trace = trace; catalog = config.instanceTypes; scaling = config.scaling; slo = config.slo
    }

    public struct Outcome: Sendable {
        public var policy: String
        public var cost: Double
        /// Under-provisioned minutes per region and resource (`[region][resource.index]`).
        public var underProvisioned: [[Int]]
        public var actions: [ScalingDecision]
        public var failedLaunches: Int
        /// Per region, every `chartStep` minutes: demand and ready capacity of the binding resource
        /// (CPU), and the fleet's size.
        public var chart: [[(minute: Int, demand: Double, capacity: Double, instances: Int)]]
        /// Cumulative cost every `chartStep` minutes.
        public var costOverTime: [Double]
        public var seconds: Double = 0
        /// The first under-provisioned minutes (up to 200): minute, region, resource, demand, ready capacity.
        public var shortfalls: [(minute: Int, region: Int, resource: Resource, demand: Double, capacity: Double)] = []

        public var underProvisionedTotal: Int { underProvisioned.reduce(0) { $0 + $1.reduce(0, +) } }
    }

    /// Runs one policy. Every region starts with enough ready instances of the catalog's first
    /// type for its first hour's peak demand at the target utilisation.
    public func run(_ policy: inout some ScalingPolicy) -> Outcome {
        var cloud = SimulatedCloud(regions: trace.regions, catalog: catalog, start: trace.start, failureRate: failureRate, seed: seed)
        let first = catalog[0]
        for r in trace.regions.indices {
            // Warm, not cold: enough for the first hour's peak (the same for every policy), so the
            // comparison is not decided by a start-up no policy could have prepared for.
            var n = scaling.minInstancesPerRegion
            for res in Resource.allCases {
                let peak = (0..<min(60, trace.minutes)).map { trace.demand(region: r, res, minute: $0) }.max() ?? 0
                n = max(n, Int((peak / (first.capacity(res) * scaling.targetUtilisation)).rounded(.up)))
            }
            cloud.seed(region: r, type: first.name, count: n)
        }
        var out = Outcome(policy: policy.name, cost: 0, underProvisioned: trace.regions.map { _ in [0, 0, 0] }, actions: [],
                          failedLaunches: 0, chart: trace.regions.map { _ in [] }, costOverTime: [])
        for m in 0..<trace.minutes {
            let now = trace.time(m)
            cloud.advance(to: now)
            for r in trace.regions.indices {
                let context = PolicyContext(minute: m, region: r, fleet: cloud.fleets[r], trace: trace, catalog: catalog, scaling: scaling, slo: slo)
                for d in policy.decide(context) {
                    if cloud.apply(d) != 0 { out.actions.append(d) }
                }
                let fleet = cloud.fleets[r]
                for res in Resource.allCases {
                    let demand = trace.demand(region: r, res, minute: m), capacity = fleet.capacity(res, catalog: catalog)
                    guard demand > capacity else { continue }
                    out.underProvisioned[r][res.index] += 1
                    if out.shortfalls.count < 200 { out.shortfalls.append((m, r, res, demand, capacity)) }
                }
                if m % chartStep == 0 {
                    out.chart[r].append((m, trace.demand(region: r, .cpu, minute: m), fleet.capacity(.cpu, catalog: catalog), fleet.count))
                }
            }
            if m % chartStep == 0 { out.costOverTime.append(cloud.cost) }
        }
        cloud.advance(to: trace.time(trace.minutes))
        out.cost = cloud.cost
        out.failedLaunches = cloud.failedLaunches
        return out
    }

    /// The names of `allPolicies`, in order.
    public static let policyNames = allPolicies(config: .default).map(\.name)

    /// The policies `simulate --policy all` runs, Prescient first, the oracle last.
    /// `penaltyWeights`: per region, from the segments' priorities and the allocation map
    /// (`Segmentation.penaltyWeights`), for Prescient's cost model.
    public static func allPolicies(config: PrescientConfig, penaltyWeights: [String: Double] = [:]) -> [any ScalingPolicy] {
        var prescient = PrescientPolicy(planner: CapacityPlanner(scaling: config.scaling, slo: config.slo, catalog: config.instanceTypes))
        prescient.penaltyWeights = penaltyWeights
        return [prescient, HPAPolicy(), TargetTrackingPolicy(), PredictiveHourlyPolicy(), StaticPeakPolicy(), OraclePolicy()]
    }
}
