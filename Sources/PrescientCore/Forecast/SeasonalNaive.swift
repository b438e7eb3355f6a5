/// The seasonal naive forecast: each step repeats the value one season earlier,
/// `ŷ(T+h) = y(T + h − m·⌈h/m⌉)`, skipping back whole seasons over missing values.
///
/// Quantiles are empirical: the in-sample seasonal differences `e_t = y_t − y_{t−m}` give the
/// one-season-ahead error distribution, widened by `√k` for a step k seasons ahead (errors of a
/// seasonal random walk add up), so the band is neither normal by assumption nor too narrow far out.
public struct SeasonalNaive: Forecaster {
    public var season: Int
    public var name: String

    public init(season: Int, name: String? = nil) {
        self.season = max(1, season)
        self.name = name ?? "SeasonalNaive"
    }

    public func forecast(history: [Double], horizon: Int, quantiles: [Double]) -> ForecastResult {
        let n = history.count
        let m = season
        var mean = [Double](repeating: .nan, count: horizon)
        for h in 1...max(1, horizon) where h <= horizon {
            var back = m * ((h + m - 1) / m)
            while n - back + h - 1 >= 0 && n - back + h - 1 < n {
                let v = history[n - back + h - 1]
                if !v.isNaN { mean[h - 1] = v; break }
                back += m
            }
        }
        let residuals = SeasonalNaive.seasonalDifferences(history, season: m)
        var out = ForecastResult(mean: mean)
        for q in quantiles {
            let r = Empirical.quantile(residuals, q) ?? 0
            out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { h in
                let k = Double(h / m + 1)
                return mean[h] + r * k.squareRoot()
            }
        }
        return out
    }

    /// `y_t − y_{t−m}` wherever both are observed.
    public static func seasonalDifferences(_ y: [Double], season m: Int) -> [Double] {
        guard y.count > m else { return [] }
        return (m..<y.count).compactMap { t in
            let d = y[t] - y[t - m]
            return d.isNaN ? nil : d
        }
    }
}

/// Empirical quantiles (linear interpolation between order statistics, type 7 as in R and NumPy).
public enum Empirical {
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        let v = values.filter { !$0.isNaN }.sorted()
        guard !v.isEmpty else { return nil }
        let pos = q * Double(v.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(v.count - 1, lo + 1)
        return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
    }
}
