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
    /// The covariates Prescient learns effects of.
    public enum Kind: Int, Sendable, CaseIterable, CustomStringConvertible {
        case rain, event
        public var description: String { self == .rain ? "rain" : "scheduled event" }
        var bit: UInt8 { 1 << UInt8(rawValue) }
    }

    /// One past covariate hour: `2^((t − now)/h)`, its local hour-of-week bin, active kinds.
    struct PastHour { var weight: Double; var bin: Int; var mask: UInt8 }

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
            for (hour, h) in hours where hour < nowHour {
                let mask = Self.mask(h)
                guard mask != 0 else { continue }
                let t = Timestamp(milliseconds: hour * 3_600_000)
                let days = Double(t.milliseconds - now.milliseconds) / 86_400_000
                list.append(PastHour(weight: _exp2(days / halfLifeDays),
                                     bin: ProfileDemandForecast.hourOfWeek(t, offsetSeconds: offsets.offsetSeconds(region: region, at: t)),
                                     mask: mask))
            }
            past[region] = list.sorted { $0.weight < $1.weight }
        }
    }

    static func mask(_ h: CovariateTable.Hour) -> UInt8 {
        (h.rainMillimetres > 0 ? Kind.rain.bit : 0) | (h.event != nil ? Kind.event.bit : 0)
    }

    /// Which kinds are active in `region` in the hour containing `t` (0 when unknown).
    public func mask(region: String, at t: Timestamp) -> UInt8 {
        table.at(region: region, t).map(Self.mask) ?? 0
    }

    /// The name of the scheduled event in `region` at `t`, if any.
    public func eventName(region: String, at t: Timestamp) -> String? { table.at(region: region, t)?.event }

    /// One user's exposure, as of `now`: per kind and bin, `C_b` and `c_b = C_b / W_b`.
    public struct UserExposure: Sendable {
        /// `C_b` per kind: `counts[kind × 168 + b]`.
        public var counts: [Double]
        /// `c_b` per kind, clamped to [0, 1] (0 for a bin never observed).
        public var shares: [Double]

        @inline(__always)
        public func share(_ kind: Kind, bin: Int) -> Double { shares[kind.rawValue * 168 + bin] }
    }

    /// The exposure of `p` given its bins' occurrence weights W_b (`RhythmRates`), or nil when the
    /// user has no covariate data.
    public func exposure(of p: UserProfile, weights: [Double]) -> UserExposure? {
        guard p.covariateMinutes > 0 else { return nil }
        let totalRegion = p.regions.reduce(0) { $0 + Double($1.weight) }
        guard totalRegion > 0 else { return nil }
        let firstHour = floorDiv(p.firstSeen.milliseconds, 3_600_000) * 3_600_000
        let firstWeight = _exp2(Double(firstHour - now.milliseconds) / 86_400_000 / halfLifeDays)
        var counts = [Double](repeating: 0, count: Kind.allCases.count * 168)
        for r in p.regions where r.weight > 0 {
            guard let hours = past[r.name] else { continue }
            let share = Double(r.weight) / totalRegion
            // Sorted by weight ascending: the hours before the user was first seen come first.
            var i = hours.partitioningIndex { $0.weight >= firstWeight }
            while i < hours.count {
                let hour = hours[i]
                let w = share * hour.weight
                if hour.mask & Kind.rain.bit != 0 { counts[hour.bin] += w }
                if hour.mask & Kind.event.bit != 0 { counts[168 + hour.bin] += w }
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
