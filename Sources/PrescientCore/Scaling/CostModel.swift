/// Instance price against the penalty for under-provisioning, per minute:
/// `cost(n, type) = n × price/60 + penalty × Σ_resources P(demand > n × capacity)` summed over the
/// minutes considered. Chooses the quantile to provision at and the instance type(s) to launch.
public struct CostModel: Sendable {
    public var catalog: [InstanceTypeSpec]
    /// Currency units per under-provisioned resource-minute (already weighted by segment priority).
    public var penaltyPerMinute: Double
    /// The levels tried for the provisioning quantile.
    public static let levels = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999]
    static let scores = levels.map(NormalQuantile.z)

    public init(catalog: [InstanceTypeSpec], penaltyPerMinute: Double) {
        self.catalog = catalog; self.penaltyPerMinute = penaltyPerMinute
    }

    /// The cheapest single type and count covering `needed` of every resource.
    public func cover(_ needed: [Resource: Double]) -> (type: InstanceTypeSpec, count: Int)? {
        cover(Resource.allCases.map { needed[$0] ?? 0 })
    }

    /// The same with `needed` indexed by `Resource.index` (no hashing: hot in replays).
    func cover(_ needed: [Double]) -> (type: InstanceTypeSpec, count: Int)? {
        var best: (InstanceTypeSpec, Int)?
        for t in catalog {
            var n = 0
            for r in Resource.allCases { n = max(n, Int((needed[r.index] / t.capacity(r)).rounded(.up))) }
            if best == nil || Double(n) * t.pricePerHour < Double(best!.1) * best!.0.pricePerHour { best = (t, n) }
        }
        return best
    }

    /// Instances of the cheapest covering type for `needed` (the planner's recommendation count).
    public func instancesFor(_ needed: [Resource: Double]) -> Int { cover(needed)?.count ?? 0 }

    /// The level q whose capacity — the window peak of max(median / `medianCeiling`, q-quantile ×
    /// `safety`), in the cheapest covering type — has the least expected cost over `window`.
    ///
    /// A launch is a commitment: an instance started now is billed while it boots and is kept at
    /// least until stabilisation lets it go. So instances beyond the `current` fleet are charged
    /// `commitMinutes` (boot + the shortest hold) on top of the window; the penalty counted is the
    /// window's, the minutes this decision can still protect:
    /// `cost(n) = n × price/60 × |window| + (n − current)⁺ × price/60 × commitMinutes + penalty × Σ_window P(demand > n × capacity)`.
    public func bestQuantile(_ forecast: [Resource: QuantileForecast], window: Range<Int>, safety: Double, medianCeiling: Double,
                             current: Int = 0, commitMinutes: Double = 0) -> Double {
        var best = (q: Self.levels[0], cost: Double.infinity)
        let forecasts = Resource.allCases.map { forecast[$0] }
        var needed = [0.0, 0.0, 0.0]
        for (q, z) in zip(Self.levels, Self.scores) {
            for r in Resource.allCases {
                var peak = 0.0
                if let f = forecasts[r.index] { for m in window { peak = max(peak, max(f.value(z: 0, minute: m) / medianCeiling, f.value(z: z, minute: m) * safety)) } }
                needed[r.index] = peak
            }
            guard let (type, n) = cover(needed) else { continue }
            var cost = Double(n) * type.pricePerHour / 60 * Double(window.count) + Double(max(0, n - current)) * type.pricePerHour / 60 * commitMinutes
            for r in Resource.allCases {
                guard let f = forecasts[r.index] else { continue }
                let cap = Double(n) * type.capacity(r)
                for m in window { cost += penaltyPerMinute * f.exceedance(cap, minute: m) }
            }
            if cost < best.cost - 1e-12 { best = (q, cost) }
        }
        return best.q
    }

    /// The launch covering `shortfall` at the lowest price per covered share, within each type's
    /// quota left in `region`, `room` instances and `budget` per hour; at least `atLeast` instances.
    func cheapestCover(_ shortfall: [Resource: Double], fleet: RegionFleet, region: String, atLeast: Int, room: Int,
                       budget: Double) -> (InstanceTypeSpec, Int)? {
        var best: (InstanceTypeSpec, Int, Double)?
        for t in catalog {
            let quotaLeft = t.quota(in: region) - (fleet.pools[t.name]?.count ?? 0)
            let affordable = budget.isFinite ? Int((budget / t.pricePerHour + 1e-9).rounded(.down)) : Int.max
            let full = max(atLeast, Resource.allCases.map { Int(((shortfall[$0] ?? 0) / t.capacity($0)).rounded(.up)) }.max() ?? 0)
            let k = min(full, room, quotaLeft, affordable)
            guard k > 0 else { continue }
            var coverage = 1.0
            for r in Resource.allCases where (shortfall[r] ?? 0) > 0 { coverage = min(coverage, Double(k) * t.capacity(r) / shortfall[r]!) }
            let score = Double(k) * t.pricePerHour / max(1e-9, min(1, coverage))
            if best == nil || score < best!.2 { best = (t, k, score) }
        }
        return best.map { ($0.0, $0.1) }
    }

    /// Types in termination order: the highest price per unit of `binding` first.
    func mostExpensiveFirst(_ binding: Resource) -> [InstanceTypeSpec] {
        catalog.sorted { $0.pricePerHour / $0.capacity(binding) > $1.pricePerHour / $1.capacity(binding) }
    }
}
