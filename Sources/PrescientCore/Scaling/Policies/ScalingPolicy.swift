/// A scaling policy: once a minute, for each region, what to launch or terminate.
///
/// A policy sees demand up to the current minute only (`PolicyContext.observed`); the oracle, the
/// lower bound, is the one policy allowed the future (`PolicyContext.future`).
public protocol ScalingPolicy: Sendable {
    var name: String { get }
    /// Decisions for one region at one minute; called in minute order, each region every minute.
    mutating func decide(_ context: PolicyContext) -> [ScalingDecision]
}

/// What a policy is told each minute about one region.
public struct PolicyContext: Sendable {
    public var minute: Int
    public var now: Timestamp
    public var region: Int
    public var regionName: String
    public var fleet: RegionFleet
    public var catalog: [InstanceTypeSpec]
    public var scaling: ScalingSpec
    public var slo: SLOSpec
    let trace: DemandTrace

    public init(minute: Int, region: Int, fleet: RegionFleet, trace: DemandTrace, catalog: [InstanceTypeSpec], scaling: ScalingSpec, slo: SLOSpec) {
        self.minute = minute; self.now = trace.time(minute); self.region = region; self.regionName = trace.regions[region]
        self.fleet = fleet; self.trace = trace; self.catalog = catalog; self.scaling = scaling; self.slo = slo
    }

    /// Demand of the last completed minute (what a metric pipeline would show now).
    public func observed(_ r: Resource) -> Double { minute > 0 ? trace.demand(region: region, r, minute: minute - 1) : 0 }

    /// Demand of past minute `m` (< now).
    public func past(_ r: Resource, minute m: Int) -> Double {
        precondition(m < minute, "a policy may not read the future")
        return trace.demand(region: region, r, minute: m)
    }

    /// Demand of minute `m`, past or future: for the oracle only.
    public func future(_ r: Resource, minute m: Int) -> Double { trace.demand(region: region, r, minute: min(m, trace.minutes - 1)) }

    public var minutes: Int { trace.minutes }

    /// Utilisation of the ready capacity by the last minute's demand, for `r` (∞ with none ready).
    public func utilisation(_ r: Resource) -> Double {
        let cap = fleet.capacity(r, catalog: catalog)
        return cap > 0 ? observed(r) / cap : (observed(r) > 0 ? .infinity : 0)
    }

    /// The highest utilisation over the resources, and which.
    public func bindingUtilisation() -> (Resource, Double) {
        Resource.allCases.map { ($0, utilisation($0)) }.max { $0.1 < $1.1 }!
    }

    /// The decision moving the default type's count from `fleet.count` to `desired`.
    func move(to desired: Int, type: InstanceTypeSpec, reason: String, inputs: [String: Double] = [:]) -> [ScalingDecision] {
        let delta = desired - fleet.count
        guard delta != 0 else { return [] }
        return [ScalingDecision(time: now, region: regionName, instanceType: type.name, delta: delta, reason: reason, inputs: inputs)]
    }
}
