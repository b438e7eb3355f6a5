#if canImport(Glibc)
import Glibc
#endif

/// Turns a profile's decayed rhythm into expected active minutes per hour of the week, as of `now`.
///
/// A stored bin R_b (decayed minutes, as of now: `R_b × scale(now)`) is a weighted sum over the
/// occurrences of that hour of the week since the user was first seen, each weighing
/// `2^((t − now)/h)`. Dividing by the same weights' sum,
/// `W_b = 2^((t_b − now)/h) × (1 − q^n_b) / (1 − q)` (t_b the latest complete occurrence, n_b the
/// occurrences since first seen, q = 2^(−7 days / h)), gives the minutes per occurrence
/// `μ_b = R_b / W_b` without the bias of dividing every bin by the average: with a 14-day half-life
/// the occurrence a week ago weighs 0.71 and yesterday's 0.95, so a flat divisor under-forecasts
/// tomorrow (whose latest occurrence is the oldest) by ~15 %. A bin never observed (a user seen for
/// less than a week) takes the user's rate for that hour of the day over the days observed.
/// Bin positions are in the local time of the user's main region.
public struct RhythmRates: Sendable {
    public let now: Timestamp
    public let halfLifeDays: Double
    let offsets: RegionOffsets
    /// Per region: for each bin, the start (ms) of its latest complete occurrence before `now`.
    private var latest: [String: [Int64]] = [:]
    /// `2^(−7k/h)` for k = 0…`maxWeeks`.
    private let weekPowers: [Double]
    static let maxWeeks = 520
    static let week: Int64 = 7 * 86_400_000

    public init(now: Timestamp, offsets: RegionOffsets, halfLifeDays: Double) {
        self.now = now; self.offsets = offsets; self.halfLifeDays = halfLifeDays
        weekPowers = (0...Self.maxWeeks).map { _exp2(-7 * Double($0) / halfLifeDays) }
    }

    /// The latest complete occurrence of every bin in `region` (cached per region).
    mutating func latestOccurrences(_ region: String) -> [Int64] {
        if let l = latest[region] { return l }
        var out = [Int64](repeating: 0, count: 168)
        // The last 168 complete hours before now cover every bin once.
        let lastStart = floorDiv(now.milliseconds, 3_600_000) * 3_600_000 - 3_600_000
        for k in 0..<168 {
            let t = Timestamp(milliseconds: lastStart - Int64(k) * 3_600_000)
            out[ProfileDemandForecast.hourOfWeek(t, offsetSeconds: offsets.offsetSeconds(region: region, at: t))] = t.milliseconds
        }
        latest[region] = out
        return out
    }

    /// Minutes per occurrence of each bin (`rates`) and the decayed occurrence weights as of `now`
    /// (`weights`, W_b), both 168 long.
    public mutating func rates(of p: UserProfile, rates: inout [Double], weights: inout [Double]) {
        let region = p.mainRegion ?? ""
        let last = latestOccurrences(region)
        let h = halfLifeDays
        let scale = p.scale(at: now, halfLifeDays: h)
        let firstHour = floorDiv(p.firstSeen.milliseconds, 3_600_000) * 3_600_000
        let q = weekPowers[1]
        for b in 0..<168 {
            let t = last[b]
            guard t >= firstHour else { weights[b] = 0; continue }
            let n = min(Self.maxWeeks, Int((t - firstHour) / Self.week) + 1)
            weights[b] = _exp2(Double(t - now.milliseconds) / 86_400_000 / h) * (1 - weekPowers[n]) / (1 - q)
        }
        for hour in 0..<24 {
            var r = 0.0, w = 0.0
            for d in 0..<7 { r += Double(p.rhythm[d * 24 + hour]); w += weights[d * 24 + hour] }
            let pooled = w > 0 ? r * scale / w : 0
            for d in 0..<7 {
                let b = d * 24 + hour
                rates[b] = weights[b] > 0 ? Double(p.rhythm[b]) * scale / weights[b] : pooled
            }
        }
    }
}
