/// Kubernetes' Horizontal Pod Autoscaler, one sync a minute (its 15 s period, per-minute
/// equivalent), on the binding resource's utilisation of ready capacity:
/// `desired = ceil(current × utilisation / target)`; no change within the 0.1 tolerance; scale-up
/// at most to max(2 × current, 4) per period; scale-down to the highest recommendation of the last
/// 300 s (stabilisation window). One instance type (the catalog's first), as a Deployment has.
public struct HPAPolicy: ScalingPolicy {
    public let name = "HPA"
    public var tolerance = 0.1
    public var stabilisationSeconds = 300.0
    private var recommendations: [Int: [(minute: Int, count: Int)]] = [:]
    public init() {}

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        let type = c.catalog[0]
        let current = c.fleet.count
        let (resource, u) = c.bindingUtilisation()
        var desired = current
        let ratio = u / c.scaling.targetUtilisation
        if current == 0 { desired = c.observed(resource) > 0 ? 1 : 0 }
        else if abs(ratio - 1) > tolerance && ratio.isFinite { desired = Int((Double(current) * ratio).rounded(.up)) }
        else if !ratio.isFinite { desired = max(2 * current, 4) }
        desired = min(desired, max(2 * current, 4))
        var list = recommendations[c.region] ?? []
        list.append((c.minute, desired))
        list.removeAll { c.minute - $0.minute >= Int(stabilisationSeconds / 60) }
        recommendations[c.region] = list
        if desired < current { desired = min(current, list.map(\.count).max() ?? desired) }
        desired = min(max(desired, c.scaling.minInstancesPerRegion), c.scaling.maxInstancesPerRegion, type.quota(in: c.regionName))
        return c.move(to: desired, type: type, reason: "HPA: \(resource.rawValue) at \(Int((u * 100).rounded())) % of ready capacity vs target \(Int(c.scaling.targetUtilisation * 100)) % → \(desired) replicas",
                      inputs: ["utilisation": u, "desired": Double(desired)])
    }
}
