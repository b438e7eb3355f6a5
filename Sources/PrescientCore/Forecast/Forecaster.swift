/// A model that forecasts one regularly spaced series.
///
/// Implementation requirements: pure and deterministic; `input.values` is oldest first, equally
/// spaced, with `.nan` for missing observations; the result has exactly `horizon` means and, for
/// every requested quantile q in (0, 1), `horizon` values that are non-decreasing in q at each step.
public protocol Forecaster: Sendable {
    /// The column name in the long output format (`SeasonalNaive`, `Prescient`…).
    var name: String { get }
    func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult
}

extension Forecaster {
    /// A forecast from values alone (no calendar: seasons are counted in steps from the start).
    public func forecast(history: [Double], horizon: Int, quantiles: [Double]) -> ForecastResult {
        forecast(ForecastInput(values: history), horizon: horizon, quantiles: quantiles)
    }
}

/// What a model sees of a series: its values and, when known, its clock and holidays.
public struct ForecastInput: Sendable, Equatable {
    public var values: [Double]
    /// Where each step falls in the day and week; nil = unknown (phases count from the first value).
    public var calendar: SeriesCalendar?

    public init(values: [Double], calendar: SeriesCalendar? = nil) { self.values = values; self.calendar = calendar }

    /// The first `count` values, same clock.
    public func prefix(_ count: Int) -> ForecastInput { ForecastInput(values: Array(values.prefix(count)), calendar: calendar) }

    /// Values `from ..< to`, the clock moved to start at `from`.
    public func window(from: Int, to: Int) -> ForecastInput {
        var moved = calendar
        if let c = calendar { moved?.start = Timestamp(milliseconds: c.start.milliseconds + Int64(from) * c.stepSeconds * 1000) }
        return ForecastInput(values: Array(values[from..<to]), calendar: moved)
    }

    /// Position of step `t` (may lie past the end) in a cycle of `period` steps: the calendar's
    /// week phase when the period is one week of steps, else `t mod period`.
    public func phase(_ t: Int, period: Int) -> Int {
        if let c = calendar, let perDay = c.stepsPerDay, period == 7 * perDay, let p = c.weekPhase(t) { return p }
        return t % period
    }
}

/// Point forecasts and quantiles for the steps after the end of a history.
public struct ForecastResult: Sendable, Equatable {
    /// The mean (point) forecast per step.
    public var mean: [Double]
    /// Per quantile level (0.9 = p90), the value per step.
    public var quantiles: [Double: [Double]]
    /// What drove the forecast, a few short phrases a person can read ("weekly pattern", "holiday
    /// 2017-04-25 read as a Sunday", "segment commuters 62 %").
    public var drivers: [String]

    public init(mean: [Double], quantiles: [Double: [Double]] = [:], drivers: [String] = []) {
        self.mean = mean; self.quantiles = quantiles; self.drivers = drivers
    }

    /// The central prediction interval at `level` percent (80 → p10 and p90), if both ends were asked for.
    public func interval(level: Double) -> (lo: [Double], hi: [Double])? {
        let a = (100 - level) / 200
        guard let lo = quantiles[Self.key(a)], let hi = quantiles[Self.key(1 - a)] else { return nil }
        return (lo, hi)
    }

    /// Quantile levels rounded to 1e-6, so 0.1 and 1 − 0.9 are the same key.
    public static func key(_ q: Double) -> Double { (q * 1_000_000).rounded() / 1_000_000 }

    /// The quantile levels a set of central interval levels needs (80, 95 → 0.025, 0.1, 0.9, 0.975).
    public static func quantiles(forLevels levels: [Double]) -> [Double] {
        Array(Set(levels.flatMap { l -> [Double] in let a = (100 - l) / 200; return [key(a), key(1 - a)] })).sorted()
    }
}
