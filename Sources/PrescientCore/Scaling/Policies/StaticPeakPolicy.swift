/// Static peak provisioning: from the first minute, enough instances for the highest demand of
/// the whole replay at the target utilisation (told the peak in advance, as a capacity plan made
/// from last season's peak would be), never changed.
public struct StaticPeakPolicy: ScalingPolicy {
    public let name = "StaticPeak"
    public init() {}

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        guard c.minute == 0 else { return [] }
        let type = c.catalog[0]
        var need = 0
        for r in Resource.allCases {
            let peak = (0..<c.minutes).map { c.future(r, minute: $0) }.max() ?? 0
            need = max(need, Int((peak / (type.capacity(r) * c.scaling.targetUtilisation)).rounded(.up)))
        }
        return c.move(to: max(need, c.scaling.minInstancesPerRegion), type: type, reason: "static peak: \(need) × \(type.name) for the replay's peak at target \(Int(c.scaling.targetUtilisation * 100)) %")
    }
}
