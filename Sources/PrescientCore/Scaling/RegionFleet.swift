/// What runs in one region, as the planner sees it: per instance type, how many are ready and when
/// the booting ones will be.
public struct RegionFleet: Sendable, Equatable {
    public struct Pool: Sendable, Equatable {
        public var ready: Int
        /// When each booting instance becomes ready, sorted.
        public var booting: [Timestamp]
        public init(ready: Int = 0, booting: [Timestamp] = []) { self.ready = ready; self.booting = booting }
        public var count: Int { ready + booting.count }
    }

    /// Per instance type name.
    public var pools: [String: Pool]
    public init(pools: [String: Pool] = [:]) { self.pools = pools }

    /// Instances ready and booting.
    public var count: Int { pools.values.reduce(0) { $0 + $1.count } }
    public var ready: Int { pools.values.reduce(0) { $0 + $1.ready } }

    /// Capacity of `resource` ready now, or ready by `at` (booting ones included when due).
    public func capacity(_ resource: Resource, catalog: [InstanceTypeSpec], readyBy at: Timestamp? = nil) -> Double {
        // Iterating the pools and matching names beats hashing every type name (hot in replays).
        var total = 0.0
        for (name, p) in pools {
            guard let t = catalog.first(where: { $0.name == name }) else { continue }
            var n = p.ready
            if let at { for b in p.booting where b <= at { n += 1 } }
            total += Double(n) * t.capacity(resource)
        }
        return total
    }

    /// Capacity of `resource` of everything ready or booting.
    public func plannedCapacity(_ resource: Resource, catalog: [InstanceTypeSpec]) -> Double {
        var total = 0.0
        for (name, p) in pools { if let t = catalog.first(where: { $0.name == name }) { total += Double(p.count) * t.capacity(resource) } }
        return total
    }

    /// Hourly price of everything ready or booting.
    public func pricePerHour(catalog: [InstanceTypeSpec]) -> Double {
        var total = 0.0
        for (name, p) in pools { if let t = catalog.first(where: { $0.name == name }) { total += Double(p.count) * t.pricePerHour } }
        return total
    }
}

/// One scaling decision for a region and instance type: launch (`delta > 0`) or terminate
/// (`delta < 0`), with the figures it was made from and why, in words.
public struct ScalingDecision: Sendable, Equatable {
    public var time: Timestamp
    public var region: String
    public var instanceType: String
    public var delta: Int
    public var reason: String
    /// The figures behind it (name → value), for the API and the report.
    public var inputs: [String: Double]
    public init(time: Timestamp, region: String, instanceType: String, delta: Int, reason: String, inputs: [String: Double] = [:]) {
        self.time = time; self.region = region; self.instanceType = instanceType; self.delta = delta
        self.reason = reason; self.inputs = inputs
    }
}
