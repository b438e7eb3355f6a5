/// A machine type the planner can launch.
public struct InstanceTypeSpec: Sendable, Hashable {
    public var name: String
    public var vcpu: Double
    public var memoryGiB: Double
    public var networkGbps: Double
    /// On-demand price, currency units per hour (billed per second).
    public var pricePerHour: Double
    /// Time from launch to serving traffic, seconds.
    public var bootSeconds: Double
    /// Maximum running instances of this type per region; `defaultQuota` for regions not listed.
    public var quota: [String: Int]
    public var defaultQuota: Int

    public init(name: String, vcpu: Double, memoryGiB: Double, networkGbps: Double, pricePerHour: Double,
                bootSeconds: Double, quota: [String: Int] = [:], defaultQuota: Int = 1000) {
        self.name = name; self.vcpu = vcpu; self.memoryGiB = memoryGiB; self.networkGbps = networkGbps
        self.pricePerHour = pricePerHour; self.bootSeconds = bootSeconds; self.quota = quota; self.defaultQuota = defaultQuota
    }

    public func quota(in region: String) -> Int { quota[region] ?? defaultQuota }

    /// Capacity of one instance in the units of `FeatureCost`: millicores, MiB, kbit/s.
    public func capacity(_ r: Resource) -> Double {
        switch r {
        case .cpu: vcpu * 1000
        case .memory: memoryGiB * 1024
        case .network: networkGbps * 1_000_000
        }
    }
}
