import PrescientCore

/// What synthetic population to generate. Same spec and seed, same bytes out.
public struct PopulationSpec: Sendable {
    public var users: Int
    public var days: Int
    /// Start of the first day, UTC (midnight is usual).
    public var start: Timestamp
    public var regions: [RegionSpec]
    public var features: [FeatureSpec]
    public var seed: UInt64
    /// Share of users active from the first day; the rest join uniformly over the span (growth).
    public var initialShare: Double = 0.85
    /// Share of users who stop for good at a uniform day of the span (churn).
    public var churnShare: Double = 0.08
    /// Share of users who travel to a neighbouring region for 1–4 days.
    public var travellerShare: Double = 0.03
    /// Share of users who move to another region for good part-way through.
    public var moverShare: Double = 0.01
    /// Multiplier on the evening streamers' activity during rain (the rain-sensitive segment).
    public var rainBoost: Double = 1.6
    /// Multiplier on the match segment's activity during a scheduled match in its region.
    public var matchBoost: Double = 4.0
    /// Scenario moves: on a given day, a share of one segment's users living in one region move to
    /// another for good (a segment moving region), on top of the individual movers.
    public var migrations: [Migration] = []
    /// Scenario matches on top of the seeded schedule: region index and day; 19:30 local, 2 h.
    public var extraMatches: [(region: Int, day: Int)] = []
    /// UTC offset in seconds of a time zone at an instant; supplied by the caller (tz data is I/O).
    public var utcOffset: @Sendable (_ timeZone: String, _ at: Timestamp) -> Int

    public init(users: Int, days: Int, start: Timestamp, regions: [RegionSpec], features: [FeatureSpec], seed: UInt64,
                utcOffset: @escaping @Sendable (String, Timestamp) -> Int = { _, _ in 0 }) {
        self.users = users; self.days = days; self.start = start; self.regions = regions
        self.features = features; self.seed = seed; self.utcOffset = utcOffset
    }
}

/// A share of one segment's users moving from one region to another on one day.
public struct Migration: Sendable, Hashable {
    public var segment: SegmentArchetype
    /// Region indices into `PopulationSpec.regions`.
    public var from: Int, to: Int
    /// Share of the segment's users living in `from` who move, 0…1.
    public var share: Double
    /// The first day in the new region (relative to the span start).
    public var day: Int
    public init(segment: SegmentArchetype, from: Int, to: Int, share: Double, day: Int) {
        self.segment = segment; self.from = from; self.to = to; self.share = share; self.day = day
    }
}
