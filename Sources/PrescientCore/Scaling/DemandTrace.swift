/// Demand per region, resource and minute, in the units instance capacity is given in
/// (`InstanceTypeSpec.capacity`): CPU millicores, memory MiB, network kbit/s.
public struct DemandTrace: Sendable, Equatable {
    /// The first minute, UTC.
    public var start: Timestamp
    public var minutes: Int
    public var regions: [String]
    /// `values[region][resource.index][minute]`.
    public var values: [[[Double]]]

    public init(start: Timestamp, minutes: Int, regions: [String]) {
        self.start = start; self.minutes = minutes; self.regions = regions
        values = regions.map { _ in Resource.allCases.map { _ in [Double](repeating: 0, count: minutes) } }
    }

    public func demand(region r: Int, _ resource: Resource, minute m: Int) -> Double {
        values[r][resource.index][m]
    }

    /// The instant of minute `m`.
    public func time(_ m: Int) -> Timestamp { Timestamp(milliseconds: start.milliseconds + Int64(m) * 60_000) }

    /// Mean demand per hour (for hourly forecasters), `count` hours ending before minute `end`.
    public func hourly(region r: Int, _ resource: Resource, endingAt end: Int) -> [Double] {
        let hours = end / 60
        return (0..<hours).map { h in
            let slice = values[r][resource.index][(h * 60)..<(h * 60 + 60)]
            return slice.reduce(0, +) / 60
        }
    }

    /// A trace from hourly (or any regular) series per region × resource, held flat within each
    /// step (demand measured as hourly means stays those means minute by minute).
    public static func fromSeries(_ series: [(region: String, resource: Resource, start: Timestamp, stepSeconds: Int64, values: [Double])]) -> DemandTrace? {
        guard let start = series.map(\.start).min() else { return nil }
        let end = series.map { $0.start.milliseconds + $0.stepSeconds * 1000 * Int64($0.values.count) }.max()!
        let minutes = Int((end - start.milliseconds) / 60_000)
        guard minutes > 0 else { return nil }
        let regions = Array(Set(series.map(\.region))).sorted()
        var trace = DemandTrace(start: start, minutes: minutes, regions: regions)
        for s in series {
            let r = regions.firstIndex(of: s.region)!
            let offset = Int((s.start.milliseconds - start.milliseconds) / 60_000)
            let perStep = max(1, Int(s.stepSeconds / 60))
            for (i, v) in s.values.enumerated() where v.isFinite {
                for k in 0..<perStep {
                    let m = offset + i * perStep + k
                    if m >= 0 && m < minutes { trace.values[r][s.resource.index][m] = max(0, v) }
                }
            }
        }
        return trace
    }
}

extension Resource {
    /// Demand in forecast units (vCPU, GiB, Mbit/s) → capacity units (millicores, MiB, kbit/s).
    public var perForecastUnit: Double {
        switch self {
        case .cpu: 1000
        case .memory: 1024
        case .network: 1000
        }
    }
}
