#if canImport(Glibc)
import Glibc
#endif

/// The known covariates (rain, scheduled events) laid out for per-user sums: for every region, the
/// past hours in which each covariate was active, and for the forecast window, which steps have it.
///
/// "Exposure" is how much of a user's expected activity fell in covariate hours: a past hour at t in
/// region r, since the user was first seen, weighs `s_r × 2^((t − now)/h)` (s_r the user's long
/// region share, h the half-life). Summed per hour-of-week bin this gives `C_b`; over the bin's
/// occurrence weights W_b (`RhythmRates`), `c_b = C_b / W_b` is the share of bin b's occurrences that
/// had the covariate, and `Σ_b μ_b C_b` the minutes the user's rhythm puts in covariate hours.
public struct CovariateExposure: Sendable {
    /// A covariate Prescient learns an effect of: rain, or the k-th hour from a scheduled event's
    /// start (its own hours and its tail, `CovariateTable.eventLags` of them).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        /// 0 = rain, 1 + k = event lag k.
        public let index: Int
        public static let rain = Kind(index: 0)
        public static func event(lag: Int) -> Kind { Kind(index: 1 + lag) }
        public static let count = 1 + CovariateTable.eventLags
        public static let all = (0..<count).map { Kind(index: $0) }
        public var eventLag: Int? { index == 0 ? nil : index - 1 }
        public var description: String { eventLag.map { "scheduled event, hour \($0 + 1) from its start" } ?? "rain" }
    }

    /// The kinds active in one hour: rain, and the event lag (−1: none).
    public struct Active: Sendable, Equatable {
        public var rain: Bool
        public var lag: Int8
        public static let none = Active(rain: false, lag: -1)
        /// Whether `kind` is active.
        @inline(__always)
        public func has(_ kind: Kind) -> Bool { kind.index == 0 ? rain : Int(lag) == kind.index - 1 }
        public var any: Bool { rain || lag >= 0 }
    }

    /// One past covariate hour: `2^((t − now)/h)`, its local hour-of-week bin, what was active.
    struct PastHour { var weight: Double; var bin: Int; var active: Active }

    public let now: Timestamp
    public let halfLifeDays: Double
    let offsets: RegionOffsets
    private var past: [String: [PastHour]] = [:]
    let table: CovariateTable

    public init(table: CovariateTable, now: Timestamp, offsets: RegionOffsets, halfLifeDays: Double) {
        self.table = table; self.now = now; self.offsets = offsets; self.halfLifeDays = halfLifeDays
        let nowHour = floorDiv(now.milliseconds, 3_600_000)
        for (region, hours) in table.hours {
            var list: [PastHour] = []
            for (hour, _) in hours where hour < nowHour {
                let t = Timestamp(milliseconds: hour * 3_600_000)
                let active = self.active(region: region, at: t)
                guard active.any else { continue }
                let days = Double(t.milliseconds - now.milliseconds) / 86_400_000
                list.append(PastHour(weight: _exp2(days / halfLifeDays),
                                     bin: ProfileDemandForecast.hourOfWeek(t, offsetSeconds: offsets.offsetSeconds(region: region, at: t)),
                                     active: active))
            }
            past[region] = list.sorted { $0.weight < $1.weight }
        }
    }

    /// What is active in `region` in the hour containing `t` (nothing when unknown).
    public func active(region: String, at t: Timestamp) -> Active {
        Active(rain: (table.at(region: region, t)?.rainMillimetres ?? 0) > 0,
               lag: Int8(table.eventLag(region: region, t) ?? -1))
    }

    /// One user's exposure, as of `now`: per kind and bin, `C_b` and `c_b = C_b / W_b`.
    public struct UserExposure: Sendable {
        /// `C_b` per kind: `counts[kind.index × 168 + b]`.
        public var counts: [Double]
        /// `c_b` per kind, clamped to [0, 1] (0 for a bin never observed).
        public var shares: [Double]

        @inline(__always)
        public func share(_ kind: Kind, bin: Int) -> Double { shares[kind.index * 168 + bin] }
    }

    /// The exposure of `p` given its bins' occurrence weights W_b (`RhythmRates`), or nil when the
    /// user has no covariate data.
    public func exposure(of p: UserProfile, weights: [Double]) -> UserExposure? {
        guard p.covariateMinutes > 0 else { return nil }
        let totalRegion = p.regions.reduce(0) { $0 + Double($1.weight) }
        guard totalRegion > 0 else { return nil }
        let firstHour = floorDiv(p.firstSeen.milliseconds, 3_600_000) * 3_600_000
        let firstWeight = _exp2(Double(firstHour - now.milliseconds) / 86_400_000 / halfLifeDays)
        var counts = [Double](repeating: 0, count: Kind.count * 168)
        for r in p.regions where r.weight > 0 {
            guard let hours = past[r.name] else { continue }
            let share = Double(r.weight) / totalRegion
            // Sorted by weight ascending: the hours before the user was first seen come first.
            var i = hours.partitioningIndex { $0.weight >= firstWeight }
            while i < hours.count {
                let hour = hours[i]
                let w = share * hour.weight
                if hour.active.rain { counts[hour.bin] += w }
                if hour.active.lag >= 0 { counts[(1 + Int(hour.active.lag)) * 168 + hour.bin] += w }
                i += 1
            }
        }
        var shares = counts
        for i in shares.indices {
            let w = weights[i % 168]
            shares[i] = w > 0 ? min(1, counts[i] / w) : 0
        }
        return UserExposure(counts: counts, shares: shares)
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array partitioned by it (binary search).
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
