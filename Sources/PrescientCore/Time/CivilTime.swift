/// A calendar date and time of day, without a time zone, in the proleptic Gregorian calendar.
///
/// Conversions use Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, exact for
/// every year representable here and free of Foundation (the core does no I/O and reads no tz data).
public struct CivilTime: Sendable, Hashable {
    public var year: Int
    public var month: Int   // 1...12
    public var day: Int     // 1...31
    public var hour: Int    // 0...23
    public var minute: Int  // 0...59
    public var second: Int  // 0...60 (60 is accepted on input as a leap second and folded to :59)
    public var millisecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.millisecond = millisecond
    }

    /// The civil time of `epochMilliseconds` (UTC).
    public init(epochMilliseconds ms: Int64) {
        let days = floorDiv(ms, 86_400_000)
        let rest = Int(ms - days * 86_400_000)
        let (y, m, d) = CivilTime.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: rest / 3_600_000, minute: rest / 60_000 % 60,
                  second: rest / 1000 % 60, millisecond: rest % 1000)
    }

    /// Whether the fields name a real date and time of day.
    public var isValid: Bool {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), (0...999).contains(millisecond), year >= 1, year <= 9999 else { return false }
        return day >= 1 && day <= CivilTime.daysIn(month: month, year: year)
    }

    /// Milliseconds since the epoch if these fields are read as UTC minus `utcOffsetSeconds`
    /// (that is, local time at an offset east of UTC).
    public func epochMilliseconds(utcOffsetSeconds: Int = 0) -> Int64 {
        let days = CivilTime.days(fromCivilYear: year, month: month, day: day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(utcOffsetSeconds)
        return secs * 1000 + Int64(millisecond)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    public static func days(fromCivilYear y0: Int, month m: Int, day d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }
}
