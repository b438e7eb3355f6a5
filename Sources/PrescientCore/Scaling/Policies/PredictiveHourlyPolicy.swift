/// AWS-style predictive scaling: an hourly forecast of the load from the last 14 days (the mean of
/// the same hour of the day, of each hour's peak minute), capacity for the coming hour set
/// `bootSeconds + schedulingBufferSeconds` before it starts (pre-launch), at the target
/// utilisation; scale-in — and anything the forecast missed — left to target tracking, so
/// capacity = max(scheduled, reactive). Needs a day of history before it forecasts.
public struct PredictiveHourlyPolicy: ScalingPolicy {
    public let name = "AWSPredictive"
    public var historyDays = 14
    private var reactive = TargetTrackingPolicy()
    private var scheduled: [Int: (hour: Int, count: Int)] = [:]
    public init() {}

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        let type = c.catalog[0]
        let lead = Int((type.bootSeconds + c.scaling.schedulingBufferSeconds) / 60)
        let nextHour = (c.minute + lead) / 60
        if (c.minute + lead) % 60 == 0 || scheduled[c.region] == nil {
            scheduled[c.region] = (nextHour, forecast(c, hour: nextHour, type: type))
        }
        let plan = scheduled[c.region]!
        // The reactive policy acts on top; the schedule is a floor while its hour lasts.
        let decisions = reactive.decide(c)
        let afterReactive = c.fleet.count + decisions.reduce(0) { $0 + $1.delta }
        let floor = plan.hour <= (c.minute + lead) / 60 ? plan.count : 0
        if afterReactive < floor {
            return c.move(to: floor, type: type, reason: "predictive: hour \(plan.hour % 24):00 forecast needs \(floor) × \(type.name) at target \(Int(c.scaling.targetUtilisation * 100)) %, launched \(lead) min ahead",
                              inputs: ["scheduled": Double(floor)])
        }
        return decisions
    }

    /// Instances for `hour`: mean over the last `historyDays` of that hour of the day's peak minute,
    /// per resource, at the target utilisation; 0 with less than a day of history.
    private func forecast(_ c: PolicyContext, hour: Int, type: InstanceTypeSpec) -> Int {
        var need = 0
        for r in Resource.allCases {
            var peaks: [Double] = []
            var d = 1
            while d <= historyDays {
                let h = hour - 24 * d
                let start = h * 60
                guard start >= 0 else { break }
                if start + 60 <= c.minute { peaks.append((start..<(start + 60)).map { c.past(r, minute: $0) }.max() ?? 0) }
                d += 1
            }
            guard !peaks.isEmpty else { return 0 }
            let load = peaks.reduce(0, +) / Double(peaks.count)
            need = max(need, Int((load / (type.capacity(r) * c.scaling.targetUtilisation)).rounded(.up)))
        }
        return min(need, c.scaling.maxInstancesPerRegion, type.quota(in: c.regionName))
    }
}
