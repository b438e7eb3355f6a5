/// Perfect foresight, the lower bound: exactly the instances each minute's demand needs at full
/// capacity (no headroom), launched one boot time ahead and terminated as soon as no minute
/// within a boot time needs them (billing is per second).
public struct OraclePolicy: ScalingPolicy {
    public let name = "Oracle"
    public init() {}

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        let type = c.catalog[0]
        let boot = Int((type.bootSeconds / 60).rounded(.up))
        var desired = 0
        for m in c.minute...(c.minute + boot) {
            for r in Resource.allCases {
                desired = max(desired, Int((c.future(r, minute: m) / type.capacity(r)).rounded(.up)))
            }
        }
        return c.move(to: desired, type: type, reason: "oracle: demand of the next \(boot) min needs \(desired) × \(type.name)")
    }
}
