/// A model that forecasts one regularly spaced series.
///
/// Implementation requirements: pure and deterministic; `history` is oldest first, equally spaced,
/// with `.nan` for missing observations; the result has exactly `horizon` means and, for every
/// requested quantile q in (0, 1), `horizon` values that are non-decreasing in q at each step.
public protocol Forecaster: Sendable {
    /// The column name in the long output format (`SeasonalNaive`, `Prescient`…).
    var name: String { get }
    func forecast(history: [Double], horizon: Int, quantiles: [Double]) -> ForecastResult
}

/// Point forecasts and quantiles for the steps after the end of a history.
public struct ForecastResult: Sendable, Equatable {
    /// The mean (point) forecast per step.
    public var mean: [Double]
    /// Per quantile level (0.9 = p90), the value per step.
    public var quantiles: [Double: [Double]]

    public init(mean: [Double], quantiles: [Double: [Double]] = [:]) { self.mean = mean; self.quantiles = quantiles }

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
