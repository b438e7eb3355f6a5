import PrescientCore

/// The hidden truth about one synthetic user, drawn once from the user's own random stream.
public struct SyntheticUser: Sendable {
    public var index: Int
    public var segment: SegmentArchetype
    public var homeRegion: Int
    /// Multiplier on the segment's session rate (log-normal, median 1).
    public var activity: Double
    /// Personal shift of the segment rhythm, whole hours (rounded normal, σ = 0.6 h).
    public var hourShift: Int
    /// First and last active day (inclusive), relative to the span start.
    public var firstDay: Int
    public var lastDay: Int
    /// A trip: region, first day, number of days (nil: stays home).
    public var trip: (region: Int, day: Int, days: Int)?
    /// A move for good: region and the day it happens.
    public var move: (region: Int, day: Int)?
    public var primaryDevice: DeviceClass

    /// The region the user is in on `day`.
    public func region(onDay day: Int) -> Int {
        if let t = trip, day >= t.day, day < t.day + t.days { return t.region }
        if let m = move, day >= m.day { return m.region }
        return homeRegion
    }
}
