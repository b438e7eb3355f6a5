#if canImport(Glibc)
import Glibc
#endif

/// Multi-seasonal decomposition + damped trend exponential smoothing, the top-down model for a
/// regional aggregate (MSTL-style seasonal estimation with a Holt trend on the remainder).
///
/// 1. Non-negative series are modelled as `x = log(1 + y)` (traffic scales multiplicatively; the back
///    transform of a quantile is that quantile); gaps are filled by linear interpolation for the fit.
/// 2. Seasonal components for each period m (24 and 168 for hourly data, when the history holds two
///    cycles), shortest first, twice over: detrend the series less the other components with a
///    centred moving average of width m, take the median per phase over the last `cycles` cycles
///    (robust to outliers, recent enough to follow a changing amplitude), centre to mean zero.
/// 3. The deseasonalised remainder follows damped Holt smoothing
///    `l_t = α z_t + (1−α)(l_{t−1} + φ b_{t−1})`, `b_t = β(l_t − l_{t−1}) + (1−β) φ b_{t−1}`, with
///    (α, β, φ) from a small grid minimising the one-step squared error over the last four weeks.
/// 4. Forecast `x̂(T+h) = l_T + (φ + … + φ^h) b_T + Σ_m s_m(phase of T+h)`; quantiles add the
///    empirical one-step residual quantile × `√(1 + (h−1)α²)`, then everything is transformed back.
public struct MultiSeasonalETS: Forecaster {
    public var name: String
    public var seasons: [Int]
    /// Cycles per phase median.
    public var cycles: Int

    public init(seasons: [Int] = [24, 168], cycles: Int = 8, name: String = "MSETS") {
        self.seasons = seasons.sorted(); self.cycles = max(1, cycles); self.name = name
    }

    public func forecast(history: [Double], horizon: Int, quantiles: [Double]) -> ForecastResult {
        let n = history.count
        let observed = history.filter { !$0.isNaN }
        guard n >= 3, observed.count >= 3 else {
            let last = observed.last ?? 0
            return ForecastResult(mean: [Double](repeating: last, count: horizon),
                                  quantiles: Dictionary(uniqueKeysWithValues: quantiles.map { (ForecastResult.key($0), [Double](repeating: last, count: horizon)) }))
        }
        let logScale = observed.allSatisfy { $0 >= 0 }
        var x = Self.interpolate(history).map { logScale ? log1p($0) : $0 }
        let active = seasons.filter { n >= 2 * $0 }
        // Components in period order (an array, not a dictionary: summation order must not vary).
        var components: [(period: Int, pattern: [Double])] = active.map { ($0, [Double](repeating: 0, count: $0)) }
        for _ in 0..<2 {
            for (i, m) in active.enumerated() {
                var rest = x
                for (j, c) in components.enumerated() where j != i { for t in 0..<n { rest[t] -= c.pattern[t % c.period] } }
                components[i].pattern = Self.seasonal(rest, period: m, cycles: cycles)
            }
        }
        for t in 0..<n { for c in components { x[t] -= c.pattern[t % c.period] } }
        let fit = Self.holt(x)
        var mean = [Double](repeating: 0, count: horizon)
        var point = [Double](repeating: 0, count: horizon)
        var damp = 0.0, phiPower = 1.0
        for h in 0..<horizon {
            phiPower *= fit.phi
            damp += phiPower
            var v = fit.level + damp * fit.trend
            for c in components { v += c.pattern[(n + h) % c.period] }
            point[h] = v
            mean[h] = logScale ? max(0, expm1(v)) : v
        }
        var out = ForecastResult(mean: mean)
        for q in quantiles {
            let r = Empirical.quantile(fit.residuals, q) ?? 0
            out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { h in
                let v = point[h] + r * (1 + Double(h) * fit.alpha * fit.alpha).squareRoot()
                return logScale ? max(0, expm1(v)) : v
            }
        }
        return out
    }

    /// Linear interpolation across gaps; leading and trailing gaps take the nearest value.
    static func interpolate(_ y: [Double]) -> [Double] {
        var out = y
        var previous: Int?
        for i in 0..<y.count where !y[i].isNaN {
            if let l = previous {
                if i - l > 1 { for k in (l + 1)..<i { out[k] = y[l] + (y[i] - y[l]) * Double(k - l) / Double(i - l) } }
            } else {
                for k in 0..<i { out[k] = y[i] }
            }
            previous = i
        }
        if let l = previous { for k in (l + 1)..<y.count { out[k] = y[l] } }
        return out
    }

    /// One period's pattern: per-phase medians of the series minus its centred moving average
    /// (2×m for even m), over the last `cycles` cycles, centred to mean zero. Phase of index t is t mod m.
    static func seasonal(_ x: [Double], period m: Int, cycles: Int) -> [Double] {
        let n = x.count
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + x[i] }
        let half = m / 2
        var detrended = [Double](repeating: .nan, count: n)
        if n > 2 * half {
            for t in half..<(n - half) {
                let avg: Double
                if m % 2 == 0 {
                    avg = ((prefix[t + half] - prefix[t - half]) + (prefix[t + half + 1] - prefix[t - half + 1])) / Double(2 * m)
                } else {
                    avg = (prefix[t + half + 1] - prefix[t - half]) / Double(m)
                }
                detrended[t] = x[t] - avg
            }
        }
        var pattern = [Double](repeating: 0, count: m)
        for p in 0..<m {
            var values: [Double] = []
            var t = (n - 1) - ((n - 1 - p) % m + m) % m
            while t >= 0 && values.count < cycles {
                if !detrended[t].isNaN { values.append(detrended[t]) }
                t -= m
            }
            pattern[p] = Empirical.quantile(values, 0.5) ?? 0
        }
        let mean = pattern.reduce(0, +) / Double(m)
        return pattern.map { $0 - mean }
    }

    struct HoltFit {
        var level: Double, trend: Double, alpha: Double, phi: Double
        var residuals: [Double]
    }

    /// Damped Holt on `z`; (α, β, φ) from a grid by one-step squared error over the last 672 steps.
    static func holt(_ z: [Double]) -> HoltFit {
        let n = z.count
        let scoreFrom = max(1, n - 672)
        var best: (sse: Double, fit: HoltFit)?
        for alpha in [0.05, 0.1, 0.2, 0.35, 0.5, 0.8] {
            for beta in [0.0, 0.005, 0.02] {
                for phi in [0.8, 0.9] {
                    var level = z[0], trend = 0.0
                    var sse = 0.0
                    var residuals: [Double] = []
                    residuals.reserveCapacity(n - scoreFrom)
                    for t in 1..<n {
                        let predicted = level + phi * trend
                        let e = z[t] - predicted
                        if t >= scoreFrom { sse += e * e; residuals.append(e) }
                        let newLevel = alpha * z[t] + (1 - alpha) * predicted
                        trend = beta * (newLevel - level) + (1 - beta) * phi * trend
                        level = newLevel
                    }
                    if best == nil || sse < best!.sse {
                        best = (sse, HoltFit(level: level, trend: trend, alpha: alpha, phi: phi, residuals: residuals))
                    }
                }
            }
        }
        return best!.fit
    }
}
