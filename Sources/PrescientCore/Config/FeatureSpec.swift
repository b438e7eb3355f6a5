/// A product feature and what one active minute of it costs the service.
public struct FeatureSpec: Sendable, Hashable {
    public var name: String
    /// Request-path prefixes that belong to this feature (`/video`, `/api/search`); longest match wins.
    public var paths: [String]
    /// Resource cost per active user-minute.
    public var cost: FeatureCost

    public init(name: String, paths: [String] = [], cost: FeatureCost) {
        self.name = name; self.paths = paths; self.cost = cost
    }
}

/// Resources one user consumes while active in a feature, per minute of activity.
///
/// Demand of a region at minute t for resource r = Σ over sessions active at t of cost_r(feature).
public struct FeatureCost: Sendable, Hashable {
    /// Average CPU while active, millicores (1000 = one vCPU busy).
    public var cpuMillicores: Double
    /// Resident memory while active, MiB.
    public var memoryMiB: Double
    /// Average network throughput while active, kbit/s.
    public var networkKbps: Double

    public init(cpuMillicores: Double, memoryMiB: Double, networkKbps: Double) {
        self.cpuMillicores = cpuMillicores; self.memoryMiB = memoryMiB; self.networkKbps = networkKbps
    }

    public subscript(_ r: Resource) -> Double {
        switch r {
        case .cpu: cpuMillicores
        case .memory: memoryMiB
        case .network: networkKbps
        }
    }
}
