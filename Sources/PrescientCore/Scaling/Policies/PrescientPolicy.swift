/// Prescient's policy: the `CapacityPlanner` every minute, on a forecast refreshed every few hours.
///
/// Every `refitHours` hours, per region and resource, the forecaster (by default the `Prescient`
/// model) forecasts the coming hourly means from up to four weeks of history (the model costs
/// ~0.5 ms a fit; refitting every hour would double a month's replay). Each minute:
/// - **shape**: a line through the hour midpoints (the last hour's actual mean, then this hour's
///   and the next's forecasts) says how demand moves over the coming minutes;
/// - **level**: the last `anchorMinutes` observed minutes, as ratios to the line, set its level
///   (a few minutes ahead, the hourly forecast's level error is most of its error), and a rise
///   off the line that stands out of the noise (t > `riseT`) is extrapolated;
/// - **quantiles**: `LeadErrorCalibration` — the empirical quantiles of actual / predicted at the
///   planner's lead over the last week, once `calibrationMinutes` are in; before that the line ×
///   b_l + z_l × sd_hour, b_l the l-quantile of minute / line over the last week and sd_hour from
///   the hourly forecast's p10–p90.
/// The planner's trust gate gets the WAPE of the last 24 hourly p50 forecasts and the hours of history.
public struct PrescientPolicy: ScalingPolicy {
    public let name = "Prescient"
    public var planner: CapacityPlanner
    let forecaster: any Forecaster
    /// `burst[l]`: the level-l quantile of minute demand over its line (empirical, last week).
    struct Hourly { var mean: [Double]; var sd: [Double]; var burst: [Double] }
    /// Per region: the hour forecast from, and per resource its hourly view.
    private var forecasts: [Int: (hour: Int, resources: [Resource: Hourly], naive: Bool)] = [:]
    private var memory: [Int: CapacityPlanner.Memory] = [:]
    /// Per region: the last plan (its quantile, needs, hold reason and figures), for `serve`'s API.
    public private(set) var lastPlans: [Int: CapacityPlanner.Plan] = [:]
    /// Per region: (forecast p50, actual) hourly CPU means of recent hours.
    private var errors: [Int: [(Double, Double)]] = [:]
    /// Per region and resource: hourly means of the completed hours so far (appended as they complete).
    private var hourlyMeans: [Int: [[Double]]] = [:]
    private var lastHour: [Int: Int] = [:]
    /// Per region and resource: the day the burst quantiles were measured, and them.
    private var bursts: [Int: [(day: Int, burst: [Double])]] = [:]
    /// Per region and resource: the line's own errors at the lead, once a day of them is in.
    private var calibration: [Int: [LeadErrorCalibration]] = [:]
    /// Per region and resource: the line's value predicted for minute `minute`, by `minute % 64`.
    private var predicted: [Int: [[(minute: Int, value: Double)]]] = [:]
    /// Minutes of recorded errors before the calibration replaces the burst × normal quantiles.
    public var calibrationMinutes = 1440
    /// Minutes of observed demand that set the line's level.
    public var anchorMinutes = 6
    /// How clearly (slope over its standard error) demand must be rising off the line to be extrapolated.
    public var riseT = 1.0
    public static let levels = [0.5, 0.9, 0.99, 0.999]
    static let scores = levels.map(NormalQuantile.z)
    public var refitHours = 3
    /// Per region, the multiplier on the under-provisioning penalty from its segments' priorities
    /// (`Segmentation.penaltyWeights`); 1 for regions not listed.
    public var penaltyWeights: [String: Double] = [:]
    static let historyHours = 24 * 28

    public init(planner: CapacityPlanner, forecaster: any Forecaster = ForecastModels.default()) {
        self.planner = planner; self.forecaster = forecaster
    }

    public mutating func decide(_ c: PolicyContext) -> [ScalingDecision] {
        // Nothing observed yet: no ground to act on (the fleet it was handed stays).
        guard c.minute >= anchorMinutes else { return [] }
        let hour = c.minute / 60
        // Model fits every `refitHours`; the naive stand-in (under 48 h of history) is cheap, so hourly.
        if forecasts[c.region].map({ hour - $0.hour >= refitHours || hour < $0.hour || ($0.naive && hour != $0.hour) }) ?? true {
            refresh(c, hour: hour)
        }
        if lastHour[c.region] != hour { roll(c, hour: hour) }
        let f = forecasts[c.region]!
        let k = hour - f.hour
        let lead = Int(((planner.catalog.map(\.bootSeconds).max() ?? 60) + planner.scaling.schedulingBufferSeconds) / 60)
        let span = lead + max(1, Int(planner.scaling.intervalSeconds / 60)) + 1
        var quantiles: [Resource: QuantileForecast] = [:]
        let z = Self.scores
        var calibrations = calibration[c.region] ?? Resource.allCases.map { _ in LeadErrorCalibration() }
        var predictions = predicted[c.region] ?? Resource.allCases.map { _ in Array(repeating: (minute: -1, value: 0.0), count: 64) }
        for r in Resource.allCases where c.minute > 0 {
            let p = predictions[r.index][(c.minute - 1) % 64]
            if p.minute == c.minute - 1 { calibrations[r.index].record(actual: c.observed(r), predicted: p.value) }
        }
        for (r, h) in f.resources {
            let calibrated = calibrations[r.index].count >= calibrationMinutes
            let ratios = calibrated ? Self.levels.map { calibrations[r.index].quantile($0) ?? 1 } : []
            // The line's points: the last completed hour's actual mean, then this hour's and the next's
            // forecasts, at the hour midpoints 0, 1, 2.
            let points = [hourlyMeans[c.region]![r.index].last ?? 0, h.mean[min(k, h.mean.count - 1)], h.mean[min(k + 1, h.mean.count - 1)]]
            let sds = [0, h.sd[min(k, h.sd.count - 1)], h.sd[min(k + 1, h.sd.count - 1)]]
            func line(_ m: Int) -> (mean: Double, sd: Double) {
                let x = max(0, min(2, (Double(c.minute + m) / 60 - Double(hour)) + 0.5))
                let i = min(1, Int(x)), w = x - Double(i)
                return (points[i] * (1 - w) + points[i + 1] * w, sds[i] * (1 - w) + sds[i + 1] * w)
            }
            // Anchored on now: the line's shape carries the coming minutes' change; the last
            // `anchorMinutes` observed set its level (Σ observed / Σ line), and a least-squares line
            // through what is left (observed − level × line) says whether demand is pulling away from
            // it — extrapolated only as a rise that stands out of the minute noise (t > `riseT`); a
            // fall is left to stabilisation (late scale-in costs little). Additive, so a ramp from
            // nothing (an hour the line has at 0) is seen too.
            let n = min(anchorMinutes, c.minute)
            var level = 1.0, offset = 0.0, rise = 0.0
            if n > 0 {
                // Two passes over n minutes (the level first), without allocating: this runs every
                // minute for every region and resource of a replay.
                var sumObserved = 0.0, sumExpected = 0.0
                for j in 1...n { sumObserved += c.past(r, minute: c.minute - j); sumExpected += line(-j).mean }
                if sumExpected > 0 { level = sumObserved / sumExpected }
                var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0
                for j in 1...n {
                    let x = Double(-j), y = c.past(r, minute: c.minute - j) - level * line(-j).mean
                    sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y
                }
                let count = Double(n)
                offset = sy / count
                if n >= 4 {
                    let vx = sxx - sx * sx / count, cxy = sxy - sx * sy / count
                    let slope = cxy / vx
                    let residual = max(0, syy - sy * sy / count - slope * cxy) / (count - 2)
                    if slope > 0 && slope * slope * vx > riseT * riseT * residual {
                        rise = slope
                        offset = sy / count - slope * sx / count // the fitted excess at minute 0
                    }
                }
            }
            var values = Self.levels.map { _ in [Double](repeating: 0, count: span) }
            for m in 0..<span {
                let (lineMean, sdHour) = line(m)
                let mean = max(0, lineMean * level + offset + rise * Double(m))
                if m == lead { predictions[r.index][(c.minute + m) % 64] = (c.minute + m, mean) }
                for l in Self.levels.indices { values[l][m] = calibrated ? mean * ratios[l] : max(0, mean * h.burst[l] + z[l] * sdHour) }
            }
            quantiles[r] = QuantileForecast(levels: Self.levels, values: values)
        }
        calibration[c.region] = calibrations; predicted[c.region] = predictions
        let recent = errors[c.region] ?? []
        let actual = recent.reduce(0) { $0 + $1.1 }
        let wape = recent.count >= 6 && actual > 0 ? recent.reduce(0) { $0 + abs($1.0 - $1.1) } / actual : nil
        var input = CapacityPlanner.Input(now: c.now, region: c.regionName, forecast: quantiles,
                                          observed: Dictionary(uniqueKeysWithValues: Resource.allCases.map { ($0, c.observed($0)) }),
                                          fleet: c.fleet, recentError: wape, historyHours: Double(hour))
        input.budgetPerHour = planner.scaling.budgetPerHour
        input.penaltyWeight = penaltyWeights[c.regionName] ?? 1
        var m = memory[c.region] ?? CapacityPlanner.Memory()
        let plan = planner.plan(input, memory: &m)
        memory[c.region] = m
        lastPlans[c.region] = plan
        return plan.decisions
    }

    /// At each new hour: appends the completed hours' means and scores the forecast of the hour
    /// just ended (CPU p50 against its actual mean) for the trust gate.
    private mutating func roll(_ c: PolicyContext, hour: Int) {
        lastHour[c.region] = hour
        let complete = c.minute / 60 // hours whose minutes are all in the past
        var means = hourlyMeans[c.region] ?? Resource.allCases.map { _ in [] }
        for r in Resource.allCases {
            while means[r.index].count < complete {
                let h = means[r.index].count
                means[r.index].append((h * 60..<(h * 60 + 60)).reduce(0) { $0 + c.past(r, minute: $1) } / 60)
            }
        }
        hourlyMeans[c.region] = means
        if let f = forecasts[c.region], let cpu = f.resources[.cpu], let actual = means[Resource.cpu.index].last {
            let k = hour - 1 - f.hour
            if k >= 0 && k < cpu.mean.count {
                var list = errors[c.region] ?? []
                list.append((cpu.mean[k], actual))
                errors[c.region] = Array(list.suffix(24))
            }
        }
    }

    /// Refits the region's forecasts at the start of `hour`, for `refitHours + 1` hours ahead.
    private mutating func refresh(_ c: PolicyContext, hour: Int) {
        roll(c, hour: hour)
        let complete = c.minute / 60
        var resources: [Resource: Hourly] = [:]
        let firstHour = max(0, complete - Self.historyHours)
        let means = hourlyMeans[c.region]!
        let horizon = refitHours + 1
        for r in Resource.allCases {
            let hourly = Array(means[r.index][firstHour..<complete])
            // A resource with no demand yet still gets its (zero) line: the anchor sees a ramp from nothing.
            guard let last = hourly.last else { continue }
            var mean = [Double](repeating: last, count: horizon), sd = [Double](repeating: 0, count: horizon)
            if hourly.count >= 48 && hourly.contains(where: { $0 > 0 }) {
                let start = c.trace.time(firstHour * 60)
                let result = forecaster.forecast(ForecastInput(values: hourly, calendar: SeriesCalendar(start: start, stepSeconds: 3600)),
                                                 horizon: horizon, quantiles: [0.1, 0.5, 0.9])
                mean = result.quantiles[0.5] ?? result.mean
                if let lo = result.quantiles[0.1], let hi = result.quantiles[0.9] { sd = zip(lo, hi).map { ($1 - $0) / 2.563 } }
            }
            // Minutes around the line through the hour midpoints, over the last week: their ratios'
            // empirical quantiles at the policy's levels (bursts are heavier-tailed than a normal).
            // Re-measured once a day: a week's distribution moves slowly.
            if let cached = bursts[c.region]?[r.index], cached.day == hour / 24 {
                resources[r] = Hourly(mean: mean, sd: sd, burst: cached.burst)
                continue
            }
            var ratios: [Double] = []
            let from = max(1, hourly.count - 24 * 7)
            for k in from..<hourly.count where k + 1 < hourly.count && hourly[k] > 0 {
                for minute in 0..<60 {
                    let x = Double(minute) / 60 + 0.5
                    let line = x < 1 ? hourly[k - 1] * (1 - x) + hourly[k] * x : hourly[k] * (2 - x) + hourly[k + 1] * (x - 1)
                    guard line > 0 else { continue }
                    ratios.append(c.past(r, minute: (firstHour + k) * 60 + minute) / line)
                }
            }
            let burst: [Double]
            if ratios.count >= 60 {
                ratios.sort()
                burst = Self.levels.map { Empirical.quantile(sorted: ratios, $0) ?? 1 }
            } else {
                burst = Self.scores.map { max(0, 1 + 0.1 * $0) }
            }
            bursts[c.region, default: Resource.allCases.map { _ in (day: -1, burst: []) }][r.index] = (hour / 24, burst)
            resources[r] = Hourly(mean: mean, sd: sd, burst: burst)
        }
        forecasts[c.region] = (hour, resources, complete - firstHour < 48)
    }
}
