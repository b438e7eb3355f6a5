/// Hourly covariates per region: rain (mm/h) and the scheduled event running, if any.
///
/// Read from `covariates.csv` (`region,ds,rain_mm,event,…`), the file `prescient generate` writes
/// and the layout a user's own weather and event calendar can be put in.
public struct CovariateTable: Sendable, Equatable {
    public struct Hour: Sendable, Equatable {
        public var rainMillimetres: Float
        public var event: String?
        public init(rainMillimetres: Float, event: String?) { self.rainMillimetres = rainMillimetres; self.event = event }
    }

    /// Per region: hour index (epoch hours) → covariates.
    public private(set) var hours: [String: [Int64: Hour]] = [:]

    public init() {}

    public mutating func set(region: String, hourStarting t: Timestamp, _ hour: Hour) {
        hours[region, default: [:]][floorDiv(t.milliseconds, 3_600_000)] = hour
    }

    /// The covariates of the hour containing `t` in `region`, if known.
    @inline(__always)
    public func at(region: String, _ t: Timestamp) -> Hour? {
        hours[region]?[floorDiv(t.milliseconds, 3_600_000)]
    }

    public var isEmpty: Bool { hours.isEmpty }
}
