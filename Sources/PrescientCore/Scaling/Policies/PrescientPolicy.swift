/// Prescient's policy: the `CapacityPlanner` every minute, on a forecast refreshed every hour.
///
/// Each hour, per region and resource, the forecaster (by default the `Prescient` model) forecasts
/// the next two hourly means from up to four weeks of history, with quantiles. Minutes are read
/// off a line through the hour midpoints (the last hour's actual mean, then the two forecasts), with
/// a normal spread per minute: `sd² = sd_hour² + (σ × mean)²`, sd_hour from the hourly p10–p90 and σ
/// the relative scatter of minutes around that line over the last day. The planner's trust gate
/// gets the WAPE of the last 24 hourly p50 forecasts and the hours of history.
public struct PrescientPolicy: ScalingPolicy {
    public let name = "Prescient"
    public var planner: CapacityPlanner
    let forecaster: any Forecaster
    struct Hourly { var previous: Double; var mean: [Double]; var sd: [Double]; var scatter: Double }
    /// Per region: the hour forecast from, and per resource its hourly view.
    private var forecasts: [Int: (hour: Int, resources: [Resource: Hourly])] = [:]
    private var memory: [Int: CapacityPlanner.Memory] = [:]
    /// Per region: (forecast p50, actual) hourly CPU means of recent hours.
    private var errors: [Int: [(Double, Double)]] = [:]
    public static let levels = [0.5, 0.9, 0.99, 0.999]
    static let historyHours = 24 * 28

    public init(planner: CapacityPlanner, forecaster: any Forecaster = ForecastModels.default()) {
        self.planner = planner; self.forecaster = forecaster
    }

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        let hour = c.minute / 60
        if forecasts[c.region]?.hour != hour { refresh(c, hour: hour) }
        let f = forecasts[c.region]!
        let lead = Int(((planner.catalog.map(\.bootSeconds).max() ?? 60) + planner.scaling.schedulingBufferSeconds) / 60)
        let span = lead + max(1, Int(planner.scaling.intervalSeconds / 60)) + 1
        var quantiles: [Resource: QuantileForecast] = [:]
        let z = Self.levels.map(NormalQuantile.z)
        for (r, h) in f.resources {
            var values = Self.levels.map { _ in [Double](repeating: 0, count: span) }
            for m in 0..<span {
                // Position in hours from the previous hour's midpoint (0), this hour's (1), the next's (2).
                let x = min(2, (Double(c.minute + m) / 60 - Double(hour)) + 0.5)
                let points = [h.previous] + h.mean, sds = [0] + h.sd
                let i = min(1, Int(x)), w = x - Double(i)
                let mean = points[i] * (1 - w) + points[i + 1] * w
                let sdHour = sds[i] * (1 - w) + sds[i + 1] * w
                let sd = (sdHour * sdHour + (h.scatter * mean) * (h.scatter * mean)).squareRoot()
                for l in Self.levels.indices { values[l][m] = max(0, mean + z[l] * sd) }
            }
            quantiles[r] = QuantileForecast(levels: Self.levels, values: values)
        }
        let recent = errors[c.region] ?? []
        let actual = recent.reduce(0) { $0 + $1.1 }
        let wape = recent.count >= 6 && actual > 0 ? recent.reduce(0) { $0 + abs($1.0 - $1.1) } / actual : nil
        var input = CapacityPlanner.Input(now: c.now, region: c.regionName, forecast: quantiles,
                                          observed: Dictionary(uniqueKeysWithValues: Resource.allCases.map { ($0, c.observed($0)) }),
                                          fleet: c.fleet, recentError: wape, historyHours: Double(hour))
        input.budgetPerHour = planner.scaling.budgetPerHour
        var m = memory[c.region] ?? CapacityPlanner.Memory()
        let plan = planner.plan(input, memory: &m)
        memory[c.region] = m
        return plan.decisions
    }

    /// Refits the region's forecasts at the start of `hour`, and scores the previous hour's.
    private mutating func refresh(_ c: PolicyContext, hour: Int) {
        let complete = c.minute / 60 // hours whose minutes are all in the past
        var resources: [Resource: Hourly] = [:]
        let firstHour = max(0, complete - Self.historyHours)
        for r in Resource.allCases {
            let hourly = (firstHour..<complete).map { h in (h * 60..<(h * 60 + 60)).reduce(0) { $0 + c.past(r, minute: $1) } / 60 }
            guard let last = hourly.last, hourly.contains(where: { $0 > 0 }) else { continue }
            if r == .cpu, let old = forecasts[c.region], old.hour == hour - 1, let p50 = old.resources[.cpu]?.mean.first {
                var list = errors[c.region] ?? []
                list.append((p50, last))
                errors[c.region] = Array(list.suffix(24))
            }
            var mean = [last, last], sd = [0.0, 0.0]
            if hourly.count >= 48 {
                let start = c.trace.time(firstHour * 60)
                let result = forecaster.forecast(ForecastInput(values: hourly, calendar: SeriesCalendar(start: start, stepSeconds: 3600)),
                                                 horizon: 2, quantiles: [0.1, 0.5, 0.9])
                mean = result.quantiles[0.5] ?? result.mean
                if let lo = result.quantiles[0.1], let hi = result.quantiles[0.9] { sd = zip(lo, hi).map { ($1 - $0) / 2.563 } }
            }
            // Scatter of minutes around the line through the hour midpoints, over the last day.
            var squares = 0.0, n = 0
            let days = max(1, hourly.count - 24)
            for k in days..<hourly.count where k + 1 < hourly.count && hourly[k] > 0 {
                for minute in 0..<60 {
                    let x = Double(minute) / 60 + 0.5
                    let line = x < 1 ? hourly[k - 1] * (1 - x) + hourly[k] * x : hourly[k] * (2 - x) + hourly[k + 1] * (x - 1)
                    guard line > 0 else { continue }
                    let y = c.past(r, minute: (firstHour + k) * 60 + minute)
                    squares += (y / line - 1) * (y / line - 1); n += 1
                }
            }
            resources[r] = Hourly(previous: last, mean: mean, sd: sd, scatter: n > 0 ? (squares / Double(n)).squareRoot() : 0.1)
        }
        forecasts[c.region] = (hour, resources)
    }
}
