/// Holidays and other days that behave like a weekend: named dates, each for every series or only
/// for some (regions or series ids), as configured (`calendar.holidays`) or read from a `ds,holiday`
/// table (Prophet's layout).
///
/// Forecasting models read a holiday as the day of week it resembles (`behavesLike`, Sunday by
/// default): its hours take that day's weekly pattern, both when they are forecast and when they
/// are in the history, so a holiday neither surprises the forecast nor bends the pattern of its own
/// weekday.
public struct HolidayCalendar: Sendable, Hashable {
    public struct Holiday: Sendable, Hashable {
        /// Days since 1970-01-01 of the date (in the series' own clock).
        public var day: Int64
        public var name: String
        /// Region names or series ids it applies to; empty = all.
        public var scope: Set<String>

        public init(day: Int64, name: String, scope: Set<String> = []) { self.day = day; self.name = name; self.scope = scope }

        public init?(date: String, name: String, scope: Set<String> = []) {
            let p = date.split(separator: "-")
            guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2].prefix(2)),
                  CivilTime(year: y, month: m, day: d).isValid else { return nil }
            self.init(day: CivilTime.days(fromCivilYear: y, month: m, day: d), name: name, scope: scope)
        }
    }

    public var holidays: [Holiday]
    /// Weekday a holiday resembles: 0 = Monday … 6 = Sunday.
    public var behavesLike: Int

    public init(holidays: [Holiday] = [], behavesLike: Int = 6) { self.holidays = holidays; self.behavesLike = behavesLike }

    public static let none = HolidayCalendar()

    /// The holiday days (days since the epoch) that apply to `series` (a region or series id).
    public func days(for series: String) -> Set<Int64> {
        Set(holidays.filter { $0.scope.isEmpty || $0.scope.contains(series) }.map(\.day))
    }

    public func name(of day: Int64, for series: String) -> String? {
        holidays.first { $0.day == day && ($0.scope.isEmpty || $0.scope.contains(series)) }?.name
    }

    /// Reads a `ds,holiday[,unique_id]` table (Prophet's holidays layout; `unique_id` scopes a row
    /// to one series or region, blank = all). `ds` is a date (a time part is ignored).
    public static func parse(_ text: String) throws(LongFormatError) -> HolidayCalendar {
        var columns: [String: Int] = [:]
        var holidays: [Holiday] = []
        for (lineNo, fields) in LongFormat.rows(text) {
            if columns.isEmpty {
                for (i, f) in fields.enumerated() { columns[f] = i }
                for c in ["ds", "holiday"] where columns[c] == nil {
                    throw LongFormatError(line: lineNo, error: FieldError("header", "no '\(c)' column (need ds, holiday[, unique_id])"))
                }
                continue
            }
            func field(_ c: String) -> String { columns[c].map { $0 < fields.count ? fields[$0] : "" } ?? "" }
            let scope = field("unique_id")
            guard let h = Holiday(date: field("ds"), name: field("holiday"), scope: scope.isEmpty ? [] : [scope]) else {
                throw LongFormatError(line: lineNo, error: FieldError("ds", "not a date (YYYY-MM-DD): '\(field("ds"))'"))
            }
            holidays.append(h)
        }
        return HolidayCalendar(holidays: holidays)
    }

    /// Monday = 0 … Sunday = 6 for days since 1970-01-01 (a Thursday).
    public static func weekday(ofDay day: Int64) -> Int { Int(((day + 3) % 7 + 7) % 7) }
}

/// The clock of one regular series: where each step falls in the day and week, with its holidays
/// mapped to the weekday they resemble.
public struct SeriesCalendar: Sendable, Hashable {
    public var start: Timestamp
    public var stepSeconds: Int64
    public var holidayDays: Set<Int64>
    public var behavesLike: Int

    public init(start: Timestamp, stepSeconds: Int64, holidayDays: Set<Int64> = [], behavesLike: Int = 6) {
        self.start = start; self.stepSeconds = max(1, stepSeconds); self.holidayDays = holidayDays; self.behavesLike = behavesLike
    }

    public init(series: RegularSeries, calendar: HolidayCalendar) {
        self.init(start: series.start, stepSeconds: series.stepSeconds, holidayDays: calendar.days(for: series.id), behavesLike: calendar.behavesLike)
    }

    /// Steps in a day and a week when the step divides a day evenly, else nil.
    public var stepsPerDay: Int? { 86_400 % stepSeconds == 0 ? Int(86_400 / stepSeconds) : nil }

    public func day(at index: Int) -> Int64 { floorDiv(start.milliseconds / 1000 + Int64(index) * stepSeconds, 86_400) }

    public func isHoliday(_ index: Int) -> Bool { holidayDays.contains(day(at: index)) }

    /// The step's position in a Monday-based week (0 ..< 7·stepsPerDay), a holiday read as the
    /// weekday it resembles. nil when the step does not divide a day.
    public func weekPhase(_ index: Int) -> Int? {
        guard let perDay = stepsPerDay else { return nil }
        let seconds = start.milliseconds / 1000 + Int64(index) * stepSeconds
        let day = floorDiv(seconds, 86_400)
        let inDay = Int((seconds - day * 86_400) / stepSeconds)
        let weekday = holidayDays.contains(day) ? behavesLike : HolidayCalendar.weekday(ofDay: day)
        return weekday * perDay + inDay
    }
}
