#if canImport(Glibc)
import Glibc
#endif

/// Bottom-up demand from the profiles: each user's expected activity in each coming hour, in each
/// region they are expected in, times their cost per active minute, summed per segment × region ×
/// resource.
///
/// For user u, hour t and region r:
/// - where: the user's share `s_r` of recent activity (the location mix, half-life
///   `profiles.location_half_life_hours`), so a traveller or a mover is forecast where they are now;
///   profiles without one (older files) use the long region mix;
/// - expected active minutes `μ = retention × s_r × μ_b × f`, where `μ_b` is the user's minutes per
///   occurrence of the hour-of-week bin b that t falls in, in r's local time (`RhythmRates`: the
///   decayed bin over its decayed occurrences since first seen); `retention` is 0 once the user has
///   been silent `churnAfterDays`;
///   `f` is the covariate factor (`CovariateEffects`): the segment's lift when rain or a scheduled
///   event is known for (r, t), over the inflation past covariate hours left in bin b; 1 without
///   covariates;
/// - demand: CPU cores `μ/60 × cpu/1000`, memory GiB `μ/60 × mem/1024`, network Mbit/s
///   `μ/60 × net/1000`, with the user's cost per active minute.
/// A user's minutes are not capped at 60: sessions overlap (two tabs, a stream and a download), and
/// demand is what runs concurrently. The spread of a total is that of independent users whose
/// activity comes as whole active hours arriving at random (Poisson, variance `60 μ` in minutes²),
/// normal approximation: conservative for sampling noise, blind to profile error (which the
/// combiner's backtest measures).
///
/// Regional totals are sums of their segments by construction (the hierarchy is coherent).
public struct ProfileDemandForecast: Sendable {
    public var start: Timestamp
    public var stepSeconds: Int64
    public var horizon: Int
    /// Users counted per segment (retained, active).
    public private(set) var users: [Int32?: Int] = [:]

    /// Per (segment, region, resource): mean and variance per step.
    struct Cell { var mean: [Double]; var variance: [Double] }
    private var cells: [Key: Cell] = [:]
    struct Key: Hashable { var segment: Int32?; var region: String; var resource: Resource }

    private let now: Timestamp
    private let offsets: RegionOffsets
    private let halfLifeDays: Double, churnAfterDays: Double
    /// Per region, the local hour-of-week bin and the active covariates of each forecast step.
    private var stepsByRegion: [String: (bins: [Int], active: [CovariateExposure.Active])] = [:]
    /// Learned covariate lifts, with the table of known covariates (past and coming hours).
    public let effects: CovariateEffects?
    private var liftsBySegment: [Int32?: [Double]] = [:]
    private var rhythm: RhythmRates
    private var rates = [Double](repeating: 0, count: 168), weights = [Double](repeating: 0, count: 168)

    /// An empty forecast as of `now` (it starts at the next whole hour); `add` the profiles.
    /// With `effects`, coming hours with rain or a scheduled event in the table move the segments
    /// that react to them.
    public init(now: Timestamp, horizon: Int, offsets: RegionOffsets, halfLifeDays: Double, churnAfterDays: Double,
                effects: CovariateEffects? = nil) {
        stepSeconds = 3600
        self.horizon = max(1, horizon)
        start = Timestamp(milliseconds: (floorDiv(now.milliseconds, 3_600_000) + 1) * 3_600_000)
        self.now = now; self.offsets = offsets; self.halfLifeDays = halfLifeDays; self.churnAfterDays = churnAfterDays
        self.effects = effects
        rhythm = RhythmRates(now: now, offsets: offsets, halfLifeDays: halfLifeDays)
    }

    /// All of `profiles` as of `now`.
    public init(profiles: some Sequence<UserProfile>, now: Timestamp, horizon: Int, offsets: RegionOffsets,
                halfLifeDays: Double, churnAfterDays: Double, effects: CovariateEffects? = nil) {
        self.init(now: now, horizon: horizon, offsets: offsets, halfLifeDays: halfLifeDays, churnAfterDays: churnAfterDays, effects: effects)
        for p in profiles { add(p) }
    }

    /// Regions seen in any profile, sorted.
    public var regions: [String] { Array(Set(cells.keys.map(\.region))).sorted() }

    /// Segment ids (nil = unsegmented), sorted with nil last.
    public var segments: [Int32?] {
        Array(Set(cells.keys.map(\.segment))).sorted { a, b in
            switch (a, b) { case let (x?, y?): return x < y; case (_?, nil): return true; default: return false }
        }
    }

    /// Adds one user's expected demand (nothing for a churned or inactive user).
    public mutating func add(_ p: UserProfile) {
        let silentDays = Double(now.milliseconds - p.lastSeen.milliseconds) / 86_400_000
        guard silentDays <= churnAfterDays, p.activeMinutes > 0 else { return }
        rhythm.rates(of: p, rates: &rates, weights: &weights)
        let cost = p.costPerActiveMinute
        let whereabouts = p.location.isEmpty ? p.regions : p.location
        let totalRegion = whereabouts.reduce(0) { $0 + Double($1.weight) }
        guard totalRegion > 0 else { return }
        users[p.segment, default: 0] += 1
        var exposure: CovariateExposure.UserExposure?
        var lifts: [Double] = []
        if let effects, let x = effects.exposure.exposure(of: p, weights: weights) {
            exposure = x
            lifts = liftsBySegment[p.segment] ?? CovariateExposure.Kind.all.map { effects.lift($0, segment: p.segment) }
            liftsBySegment[p.segment] = lifts
        }
        var minutes = [Double](repeating: 0, count: horizon)
        for r in whereabouts where r.weight > 0 {
            let share = Double(r.weight) / totalRegion
            let steps = self.steps(r.name)
            for s in 0..<horizon {
                let b = steps.bins[s]
                var m = rates[b] * share
                if let effects, let exposure {
                    m *= effects.factor(active: steps.active[s], bin: b, exposure: exposure, lifts: lifts)
                }
                minutes[s] = m
            }
            add(segment: p.segment, region: r.name, resource: .cpu, minutes: minutes, rate: cost.cpuMillicores / 1000)
            add(segment: p.segment, region: r.name, resource: .memory, minutes: minutes, rate: cost.memoryMiB / 1024)
            add(segment: p.segment, region: r.name, resource: .network, minutes: minutes, rate: cost.networkKbps / 1000)
        }
    }

    private mutating func steps(_ region: String) -> (bins: [Int], active: [CovariateExposure.Active]) {
        if let b = stepsByRegion[region] { return b }
        let times = (0..<horizon).map { Timestamp(milliseconds: start.milliseconds + Int64($0) * 3_600_000) }
        let b = (bins: times.map { Self.hourOfWeek($0, offsetSeconds: offsets.offsetSeconds(region: region, at: $0)) },
                 active: times.map { effects?.exposure.active(region: region, at: $0) ?? .none })
        stepsByRegion[region] = b
        return b
    }

    private mutating func add(segment: Int32?, region: String, resource: Resource, minutes: [Double], rate: Double) {
        let key = Key(segment: segment, region: region, resource: resource)
        var cell = cells[key] ?? Cell(mean: [Double](repeating: 0, count: horizon), variance: [Double](repeating: 0, count: horizon))
        for s in 0..<horizon {
            let m = minutes[s]
            cell.mean[s] += m / 60 * rate
            cell.variance[s] += m * 60 / 3600 * rate * rate
        }
        cells[key] = cell
    }

    /// Hour-of-week bin (Monday 00:00 = 0) of `t` at a UTC offset.
    public static func hourOfWeek(_ t: Timestamp, offsetSeconds: Int) -> Int {
        let local = t.milliseconds / 1000 + Int64(offsetSeconds)
        let day = floorDiv(local, 86_400)
        return HolidayCalendar.weekday(ofDay: day) * 24 + Int((local - day * 86_400) / 3600)
    }

    /// The forecast of one region × resource, for one segment or (nil) summed over all segments,
    /// with normal-approximation quantiles; drivers name the segments with the largest shares.
    public func result(region: String, resource: Resource, segment: Int32?? = nil, quantiles: [Double]) -> ForecastResult {
        let keys: [Key] = segment.map { [Key(segment: $0, region: region, resource: resource)] }
            ?? segments.map { Key(segment: $0, region: region, resource: resource) }
        var mean = [Double](repeating: 0, count: horizon), variance = mean
        var shares: [(Int32?, Double)] = []
        for k in keys {
            guard let c = cells[k] else { continue }
            for s in 0..<horizon { mean[s] += c.mean[s]; variance[s] += c.variance[s] }
            shares.append((k.segment, c.mean.reduce(0, +)))
        }
        var out = ForecastResult(mean: mean)
        for q in quantiles {
            let z = NormalQuantile.z(q)
            out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { max(0, mean[$0] + z * variance[$0].squareRoot()) }
        }
        let total = shares.reduce(0) { $0 + $1.1 }
        if total > 0 && segment == nil {
            out.drivers = shares.sorted { $0.1 > $1.1 }.prefix(3).map { s, v in
                "\(s.map { "segment \($0)" } ?? "unsegmented users") \(Int((v / total * 100).rounded())) %"
            }
        }
        if let effects, let steps = stepsByRegion[region] {
            let event = steps.active.indices.first { steps.active[$0].lag >= 0 }
                .flatMap { effects.exposure.table.eventName(region: region, Timestamp(milliseconds: start.milliseconds + Int64($0) * 3_600_000)) }
            out.drivers += effects.drivers(steps: steps.active, segments: segment.map { [$0] } ?? segments, eventName: event)
        }
        return out
    }
}

/// The standard normal quantile function (Acklam's rational approximation, |error| < 1.2e-9).
public enum NormalQuantile {
    public static func z(_ p: Double) -> Double {
        guard p > 0 && p < 1 else { return p <= 0 ? -.infinity : .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * _log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * _log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
