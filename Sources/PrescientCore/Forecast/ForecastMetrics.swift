/// Forecast accuracy measures, as statsforecast and the M-competitions define them. Missing
/// actuals (`.nan`) are left out.
public enum ForecastMetrics {
    /// Mean absolute scaled error: `mean|y − ŷ| / mean|y_t − y_{t−m}|` with the denominator from the
    /// training history (the in-sample seasonal naive error). nil when the history cannot scale.
    public static func mase(actual: [Double], forecast: [Double], history: [Double], season: Int) -> Double? {
        let scale = SeasonalNaive.seasonalDifferences(history, season: season).map(abs)
        guard !scale.isEmpty else { return nil }
        let s = scale.reduce(0, +) / Double(scale.count)
        guard s > 0, let mae = mae(actual: actual, forecast: forecast) else { return nil }
        return mae / s
    }

    public static func mae(actual: [Double], forecast: [Double]) -> Double? {
        let e = zip(actual, forecast).filter { !$0.0.isNaN && !$0.1.isNaN }.map { abs($0.0 - $0.1) }
        return e.isEmpty ? nil : e.reduce(0, +) / Double(e.count)
    }

    /// Weighted absolute percentage error: `Σ|y − ŷ| / Σ|y|`.
    public static func wape(actual: [Double], forecast: [Double]) -> Double? {
        var num = 0.0, den = 0.0
        for (y, f) in zip(actual, forecast) where !y.isNaN && !f.isNaN { num += abs(y - f); den += abs(y) }
        return den > 0 ? num / den : nil
    }

    /// Pinball (quantile) loss at level q: `mean(max(q·(y − ŷ_q), (q − 1)·(y − ŷ_q)))`.
    public static func pinball(actual: [Double], quantile: [Double], q: Double) -> Double? {
        let l = zip(actual, quantile).filter { !$0.0.isNaN && !$0.1.isNaN }.map { y, f in max(q * (y - f), (q - 1) * (y - f)) }
        return l.isEmpty ? nil : l.reduce(0, +) / Double(l.count)
    }

    /// Share of actuals strictly above the quantile forecast (for p90 it should be near 10 %).
    public static func exceedance(actual: [Double], quantile: [Double]) -> Double? {
        let pairs = zip(actual, quantile).filter { !$0.0.isNaN && !$0.1.isNaN }
        guard !pairs.isEmpty else { return nil }
        return Double(pairs.filter { $0.0 > $0.1 }.count) / Double(pairs.count)
    }
}
