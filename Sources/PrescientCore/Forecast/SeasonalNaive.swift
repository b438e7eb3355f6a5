/// The seasonal naive forecast: each step repeats the latest observed value of the same phase,
/// `ŷ(T+h) = y(T + h − m·⌈h/m⌉)` when nothing is missing; with a calendar, the weekly phase reads
/// a holiday as the weekday it resembles, so a holiday is forecast from the last Sunday.
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

    public func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult {
        let history = input.values
        let n = history.count
        let m = season
        // The latest observed value per phase, from the last few cycles.
        var latest = [Double](repeating: .nan, count: m)
        var missing = m
        var t = n - 1
        while t >= 0 && t >= n - 4 * m && missing > 0 {
            let p = input.phase(t, period: m)
            if latest[p].isNaN && !history[t].isNaN { latest[p] = history[t]; missing -= 1 }
            t -= 1
        }
        let mean = (0..<horizon).map { h in latest[input.phase(n + h, period: m)] }
        let residuals = SeasonalNaive.seasonalDifferences(input, season: m).sorted()
        var out = ForecastResult(mean: mean, drivers: ["the last \(m)-step cycle repeated"])
        // A series that never went below zero (counts, loads) gets no negative quantile.
        let floor = history.contains { $0 < 0 } ? -Double.infinity : 0
        for q in quantiles {
            let r = Empirical.quantile(sorted: residuals, q) ?? 0
            out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { h in
                let k = Double(h / m + 1)
                return max(floor, mean[h] + r * k.squareRoot())
            }
        }
        return out
    }

    /// `y_t − y_{t−m}` wherever both are observed.
    public static func seasonalDifferences(_ y: [Double], season m: Int) -> [Double] {
        seasonalDifferences(ForecastInput(values: y), season: m)
    }

    /// `y_t` less the previous observed value of the same phase (holidays read as their lookalike day).
    public static func seasonalDifferences(_ input: ForecastInput, season m: Int) -> [Double] {
        let y = input.values
        guard y.count > m else { return [] }
        if input.calendar == nil {
            return (m..<y.count).compactMap { t in
                let d = y[t] - y[t - m]
                return d.isNaN ? nil : d
            }
        }
        var previous = [Double](repeating: .nan, count: m)
        var out: [Double] = []
        out.reserveCapacity(y.count)
        for t in 0..<y.count where !y[t].isNaN {
            let p = input.phase(t, period: m)
            if !previous[p].isNaN { out.append(y[t] - previous[p]) }
            previous[p] = y[t]
        }
        return out
    }
}

/// Empirical quantiles (linear interpolation between order statistics, type 7 as in R and NumPy).
public enum Empirical {
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        quantile(sorted: values.filter { !$0.isNaN }.sorted(), q)
    }

    /// The same quantile by selection (Hoare's quickselect, expected linear time) instead of a
    /// sort; reorders `values` (no NaN).
    public static func select(_ values: inout [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let pos = q * Double(values.count - 1)
        let lo = Int(pos.rounded(.down))
        let a = nth(&values, lo)
        guard lo + 1 < values.count, pos > Double(lo) else { return a }
        // The next order statistic is the smallest value right of position lo after selection.
        var b = Double.infinity
        for i in (lo + 1)..<values.count where values[i] < b { b = values[i] }
        return a + (b - a) * (pos - Double(lo))
    }

    /// Rearranges `v` so `v[k]` is its k-th smallest value, smaller ones left of it, larger right.
    static func nth(_ v: inout [Double], _ k: Int) -> Double {
        var left = 0, right = v.count - 1
        while left < right {
            let pivot = v[(left + right) / 2]
            var i = left, j = right
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { right = j } else if k >= i { left = i } else { break }
        }
        return v[k]
    }

    /// The same on values already sorted ascending, without NaN.
    public static func quantile(sorted v: [Double], _ q: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let pos = q * Double(v.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(v.count - 1, lo + 1)
        return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
    }
}
