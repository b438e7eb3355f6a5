/// Hourly covariates per region: rain (mm/h) and the scheduled event running, if any.
///
/// Read from `covariates.csv` (`region,ds,rain_mm,event,…`), the file `prescient generate` writes
/// and the layout a user's own weather and event calendar can be put in.
///
/// Scheduled events move demand with a shape (a slow first hour, a peak, a tail after the end), so
/// each hour also knows its **event lag**: hours since the start of the latest event in the region,
/// for the event's own hours and the hours after it, while below `eventLags` (an event longer than
/// that keeps the last lag). Lags are recomputed around every `set`, so rows may come in any order.
public struct CovariateTable: Sendable, Equatable {
    public struct Hour: Sendable, Equatable {
        public var rainMillimetres: Float
        public var event: String?
        public init(rainMillimetres: Float, event: String?) { self.rainMillimetres = rainMillimetres; self.event = event }
    }

    /// How many hours from an event's start its effect is tracked (the event and its tail).
    public static let eventLags = 6

    /// Per region: hour index (epoch hours) → covariates.
    public private(set) var hours: [String: [Int64: Hour]] = [:]
    /// Per region: hour index → event lag (0 = the event's first hour).
    public private(set) var lags: [String: [Int64: UInt8]] = [:]

    public init() {}

    public mutating func set(region: String, hourStarting t: Timestamp, _ hour: Hour) {
        let index = floorDiv(t.milliseconds, 3_600_000)
        hours[region, default: [:]][index] = hour
        // An hour's lag reads the table up to eventLags hours back, so this row can change its own
        // and the next eventLags hours' (later hours of a long run stay at the last lag either way).
        for i in index...(index + Int64(Self.eventLags)) { updateLag(region: region, hour: i) }
    }

    /// The lag of `hour` from the table as it stands: walk back over the event run it is in (or
    /// that ended shortly before it) to that run's first hour.
    private mutating func updateLag(region: String, hour i: Int64) {
        let table = hours[region] ?? [:]
        var lag: UInt8?
        if let name = table[i]?.event {
            var start = i
            while i - start < 4 * 24, table[start - 1]?.event == name { start -= 1 }
            lag = UInt8(min(Int64(Self.eventLags - 1), i - start))
        } else {
            for back in 1..<Int64(Self.eventLags) {
                guard let name = table[i - back]?.event else { continue }
                var start = i - back
                while i - start < Int64(Self.eventLags), table[start - 1]?.event == name { start -= 1 }
                if i - start < Int64(Self.eventLags) { lag = UInt8(i - start) }
                break
            }
        }
        if let lag { lags[region, default: [:]][i] = lag } else { lags[region]?[i] = nil }
    }

    /// The covariates of the hour containing `t` in `region`, if known.
    @inline(__always)
    public func at(region: String, _ t: Timestamp) -> Hour? {
        hours[region]?[floorDiv(t.milliseconds, 3_600_000)]
    }

    /// Hours since the start of the event whose effect the hour containing `t` is in, if any.
    @inline(__always)
    public func eventLag(region: String, _ t: Timestamp) -> Int? {
        lags[region]?[floorDiv(t.milliseconds, 3_600_000)].map(Int.init)
    }

    /// The name of the event whose effect the hour containing `t` is in (running, or just ended).
    public func eventName(region: String, _ t: Timestamp) -> String? {
        guard let lag = eventLag(region: region, t) else { return nil }
        let i = floorDiv(t.milliseconds, 3_600_000)
        for back in 0...Int64(lag) { if let name = hours[region]?[i - back]?.event { return name } }
        return nil
    }

    public var isEmpty: Bool { hours.isEmpty }
}
