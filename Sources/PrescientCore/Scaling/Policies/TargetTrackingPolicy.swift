/// Target tracking on CPU (the cloud providers' default autoscaling): scale out as soon as a
/// minute's CPU utilisation exceeds the target, to `ceil(current × utilisation / target)`; scale in
/// only after 15 consecutive minutes below 90 % of the target, then with a 300 s cooldown.
public struct TargetTrackingPolicy: ScalingPolicy {
    public let name = "TargetTracking"
    public var scaleInMinutes = 15
    public var scaleInCooldownSeconds = 300.0
    private var lowSince: [Int: Int] = [:]
    private var lastScaleIn: [Int: Int] = [:]
    public init() {}

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        let type = c.catalog[0]
        let current = c.fleet.count
        let u = c.utilisation(.cpu), target = c.scaling.targetUtilisation
        if current == 0 { return c.move(to: max(1, c.scaling.minInstancesPerRegion), type: type, reason: "target tracking: no instances") }
        if u > target {
            lowSince[c.region] = nil
            let desired = min(Int((Double(current) * min(u, 10) / target).rounded(.up)), c.scaling.maxInstancesPerRegion, type.quota(in: c.regionName))
            return c.move(to: desired, type: type, reason: "target tracking: CPU \(Int((u * 100).rounded())) % > target \(Int(target * 100)) %", inputs: ["utilisation": u])
        }
        guard u < 0.9 * target else { lowSince[c.region] = nil; return [] }
        let since = lowSince[c.region] ?? c.minute
        lowSince[c.region] = since
        guard c.minute - since + 1 >= scaleInMinutes,
              c.minute - (lastScaleIn[c.region] ?? Int.min / 2) >= Int(scaleInCooldownSeconds / 60) else { return [] }
        let desired = max(c.scaling.minInstancesPerRegion, Int((Double(current) * u / target).rounded(.up)))
        guard desired < current else { return [] }
        lastScaleIn[c.region] = c.minute
        return c.move(to: desired, type: type, reason: "target tracking: CPU under \(Int(0.9 * target * 100)) % for \(scaleInMinutes) min", inputs: ["utilisation": u])
    }
}
