import PrescientCore

/// Hourly weather per region: rain as a two-state Markov chain (dry ↔ raining) with a log-normal
/// intensity, so rain comes in spells of a few hours like real showers.
public struct WeatherSeries: Sendable {
    /// Rain in mm/h, indexed [region][hour since spec.start].
    public let rainMillimetres: [[Double]]

    /// P(rain starts in an hour) = 0.05, P(it stops) = 0.2: raining ~20 % of hours, spells ~5 h.
    init(regions: Int, hours: Int, rng root: SplitMix64) {
        rainMillimetres = (0..<regions).map { r in
            var rng = root.derive(0xA1_0000 &+ UInt64(r))
            var raining = rng.nextUnit() < 0.2
            return (0..<hours).map { _ in
                raining = raining ? rng.nextUnit() >= 0.2 : rng.nextUnit() < 0.05
                return raining ? max(0.1, _simExp(min(5, 0.4 + 0.9 * rng.nextGaussian()))) : 0
            }
        }
    }

    public func isRaining(region: Int, hour: Int) -> Bool {
        hour >= 0 && hour < rainMillimetres[region].count && rainMillimetres[region][hour] > 0
    }
}

/// A scheduled event that moves one segment in one region: a televised match, say.
public struct ScheduledMatch: Sendable, Hashable {
    public var name: String
    public var region: Int
    public var segment: SegmentArchetype
    /// Start and end, UTC.
    public var start: Timestamp
    public var end: Timestamp

    /// Matches in the span: one every three days or so, each in a seeded region, at 19:30 local
    /// time for two hours, moving the evening streamers there.
    static func schedule(_ spec: PopulationSpec, rng root: SplitMix64) -> [ScheduledMatch] {
        var rng = root.derive(0xE7E7)
        let count = max(1, spec.days / 3)
        let seeded = (0..<count).map { k in
            let region = rng.nextInt(below: spec.regions.count)
            let day = min(spec.days - 1, k * 3 + 1 + rng.nextInt(below: 2))
            return evening(spec, name: "match-\(k + 1)", region: region, day: day)
        }
        return seeded + spec.extraMatches.enumerated().map { k, m in
            evening(spec, name: "match-extra-\(k + 1)", region: m.region, day: m.day)
        }
    }

    /// A two-hour match at 19:30 local time on `day` in `region`, moving the evening streamers.
    static func evening(_ spec: PopulationSpec, name: String, region: Int, day: Int) -> ScheduledMatch {
        let localStart = spec.start.milliseconds + Int64(day) * 86_400_000 + Int64(19.5 * 3_600_000)
        let offset = spec.utcOffset(spec.regions[region].timeZone, Timestamp(milliseconds: localStart))
        let start = Timestamp(milliseconds: localStart - Int64(offset) * 1000)
        return ScheduledMatch(name: name, region: region, segment: .eveningStreamer, start: start, end: start.adding(seconds: 2 * 3600))
    }
}

extension PopulationGenerator {
    /// The covariates of the whole span as the table ingest and forecasts read (what
    /// `covariates.csv` holds): every region-hour, with its rain and the match running, if any.
    public func covariateTable() -> CovariateTable {
        var table = CovariateTable()
        for (r, region) in spec.regions.enumerated() {
            for h in 0..<(spec.days * 24) {
                let t = spec.start.milliseconds + Int64(h) * 3_600_000
                let match = matches.first { $0.region == r && $0.start.milliseconds < t + 3_600_000 && $0.end.milliseconds > t }
                table.set(region: region.name, hourStarting: Timestamp(milliseconds: t),
                          .init(rainMillimetres: Float(weather.rainMillimetres[r][h]), event: match?.name))
            }
        }
        return table
    }
}
