/// A point in time in UTC, held as milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
///
/// Prescient stores every event time as UTC; local time only matters when a region's rhythm is
/// computed, and then through an explicit UTC offset. Hour-of-week is defined on UTC here:
/// `hourOfWeek = ((days + 3) mod 7) × 24 + hour`, so Monday 00:00 is bin 0 (1970-01-01 was a Thursday).
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Milliseconds since the Unix epoch, UTC.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds &* 1000 }

    /// Seconds since the epoch, rounded toward negative infinity.
    public var seconds: Int64 { milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000 }

    /// The instant `seconds` later (may be fractional; rounded to the millisecond).
    public func adding(seconds: Double) -> Timestamp {
        Timestamp(milliseconds: milliseconds + Int64((seconds * 1000).rounded()))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    /// Days since the epoch (floor).
    public var epochDay: Int64 { floorDiv(milliseconds, 86_400_000) }

    /// Hour of the week in UTC, 0 = Monday 00:00–00:59 … 167 = Sunday 23:00–23:59.
    public var hourOfWeek: Int { hourOfWeek(utcOffsetSeconds: 0) }

    /// Hour of the week in a local time that is `utcOffsetSeconds` ahead of UTC.
    public func hourOfWeek(utcOffsetSeconds: Int) -> Int {
        let local = seconds + Int64(utcOffsetSeconds)
        let day = floorDiv(local, 86_400)
        let weekday = Int(floorMod(day + 3, 7)) // 0 = Monday
        let hour = Int(floorMod(local, 86_400) / 3600)
        return weekday * 24 + hour
    }

    /// The civil (proleptic Gregorian) UTC date and time of this instant.
    public var civil: CivilTime { CivilTime(epochMilliseconds: milliseconds) }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    let r = a % b
    return r < 0 ? r + b : r
}
