/// Service-level objectives the planner provisions for.
public struct SLOSpec: Sendable, Hashable {
    /// Utilisation above which a resource counts as under-provisioned, 0…1.
    public var maxUtilisation: Double = 0.85
    /// 99th-percentile latency objective, milliseconds.
    public var latencyP99Milliseconds: Double = 250
    /// Cost charged per under-provisioned resource-minute, currency units (the cost model's penalty).
    public var underProvisionPenalty: Double = 0.05
    /// Multipliers on the penalty for users of given segments (segment id → priority; 1 unless
    /// listed): a premium segment's share of a region's demand raises the quantile provisioned there.
    public var segmentPriorities: [Int32: Double] = [:]
    public init() {}
}

/// Thresholds and limits of the scaling loop. Rules apply in this order: forecast → safety factor →
/// lead time → stabilisation → max step → budget/quota → min/max.
public struct ScalingSpec: Sendable, Hashable {
    /// Interval of the control loop, seconds.
    public var intervalSeconds: Double = 60
    /// Utilisation a reactive policy aims for, 0…1: the HPA and target-tracking baselines, and the
    /// planner's reactive fallback (trust gate, demand above the forecast).
    public var targetUtilisation: Double = 0.7
    /// The share of capacity the median forecast may use, 0…1: the planner scales out before the
    /// median forecast would pass it (below exhaustion).
    public var scaleOutThreshold: Double = 0.8
    /// The planner scales in only while the highest need over the stabilisation window uses less
    /// than this share of the capacity, 0…1 (hysteresis: between it and 1 it holds).
    public var scaleInThreshold: Double = 0.9
    /// Multiplier on the cost-chosen forecast quantile before sizing, ≥ 1.
    public var safetyFactor: Double = 1.1
    /// Extra lead time added to boot time, seconds.
    public var schedulingBufferSeconds: Double = 60
    /// Minimum time between scaling actions in one region, seconds.
    public var cooldownSeconds: Double = 120
    /// Scale-in looks back this far and uses the highest recommendation, seconds.
    public var stabilisationSeconds: Double = 300
    /// Most instances launched or terminated in one region per step.
    public var maxStep: Int = 20
    public var minInstancesPerRegion: Int = 1
    public var maxInstancesPerRegion: Int = 500
    /// Spending cap over all regions, currency units per hour.
    public var budgetPerHour: Double = 500
    /// Forecast quantile provisioned for by default, 0…1.
    public var quantile: Double = 0.9
    /// Learning period, hours: with less history than this the planner scales out but never in
    /// (a first day's troughs say nothing yet about the next hours).
    public var learningHours: Double = 24
    public init() {}
}

/// How input is read.
public struct IngestSpec: Sendable, Hashable {
    /// Region for clients no rule places; nil rejects them.
    public var defaultRegion: String?
    /// Path segments that name a feature when no path rule matches (`/a/b/c.html` → `a` at depth 1).
    public var featureDepth: Int = 1
    /// Events older than the newest seen by more than this are late: counted and reported, seconds.
    public var lateBoundSeconds: Double = 3600
    /// Longest accepted input line, bytes; longer lines are rejected without being buffered.
    public var maxLineBytes: Int = 1 << 20
    /// Time zone for timestamps written without an offset (IANA name).
    public var naiveTimeZone: String = "UTC"
    public init() {}
}

/// How profiles learn.
public struct ProfileSpec: Sendable, Hashable {
    /// Half-life of the exponential decay of a user's rhythm and mixes, days.
    public var halfLifeDays: Double = 14
    /// Days without activity after which a user counts as churned.
    public var churnAfterDays: Double = 28
    /// Half-life of the user's recent-location mix, hours: short, so a move or a trip shows in
    /// where the user is forecast within a session or two.
    public var locationHalfLifeHours: Double = 6
    public init() {}
}
