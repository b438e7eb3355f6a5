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
///    (α, β, φ) from a two-stage grid minimising the absolute 1…H-step error over four weeks of origins.
/// 4. Forecast `x̂(T+h) = l_T + (φ + … + φ^h) b_T + Σ_m s_m(phase of T+h)`; quantile q adds the
///    empirical q-quantile of the model's own h-step errors at ~336 recent origins (the seasonal
///    patterns are in-sample there, so the band can be a little narrow), then everything is
///    transformed back.
/// 5. With `naiveBlend` (the default model), the forecast is `w·x̂ + (1 − w)·x_naive` with x_naive the
///    latest value of the same weekly phase, w ∈ {0, 0.1, …, 1} minimising the absolute k-step error
///    over the same origins, and quantiles from the blended errors.
public struct MultiSeasonalETS: Forecaster {
    public var name: String
    public var seasons: [Int]
    /// Cycles per phase median.
    public var cycles: Int

    /// Whether to blend with the last-cycle naive forecast (weight chosen per series, see step 5).
    public var naiveBlend: Bool

    public init(seasons: [Int] = [24, 168], cycles: Int = 8, naiveBlend: Bool = false, name: String = "MSETS") {
        self.seasons = seasons.sorted(); self.cycles = max(1, cycles); self.naiveBlend = naiveBlend; self.name = name
    }

    public func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult {
        let history = input.values
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
        // Each step's phase per period, past the end too (holidays read as their lookalike day).
        let phases: [[Int]] = active.map { m in (0..<(n + horizon)).map { input.phase($0, period: m) } }
        var components: [(period: Int, pattern: [Double])] = active.map { ($0, [Double](repeating: 0, count: $0)) }
        for _ in 0..<2 {
            for (i, m) in active.enumerated() {
                var rest = x
                for (j, c) in components.enumerated() where j != i { for t in 0..<n { rest[t] -= c.pattern[phases[j][t]] } }
                components[i].pattern = Self.seasonal(rest, period: m, phase: phases[i], cycles: cycles)
            }
        }
        let full = x
        for t in 0..<n { for (j, c) in components.enumerated() { x[t] -= c.pattern[phases[j][t]] } }
        let fit = Self.holt(x, horizon: horizon)
        func seasonalAt(_ t: Int) -> Double {
            var v = 0.0
            for (j, c) in components.enumerated() { v += c.pattern[phases[j][t]] }
            return v
        }
        var point = [Double](repeating: 0, count: horizon)
        var damp = 0.0, phiPower = 1.0
        for h in 0..<horizon {
            phiPower *= fit.phi
            damp += phiPower
            point[h] = fit.levels[n - 1] + damp * fit.trends[n - 1] + seasonalAt(n + h)
        }
        // The k-step errors of the smoothing model at the recent origins, in the modelled scale.
        let damping = (0...fit.lead).map { fit.damping($0) }
        var errors = fit.origins.map { o in
            (1...fit.lead).map { k in o + k < n ? x[o + k] - fit.levels[o] - damping[k] * fit.trends[o] : Double.nan }
        }
        var drivers = Self.drivers(active, input: input, n: n, horizon: horizon)
        if naiveBlend, let longest = active.last, let phase = phases.last {
            // The same origins for the last-cycle naive forecast; blend weight w by least absolute
            // error of w·smoothing + (1 − w)·naive over those origins.
            let naiveErrors = Self.naiveErrors(full, phase: phase, period: longest, origins: fit.origins, lead: fit.lead)
            var best = (w: 1.0, score: Double.infinity)
            for step in 0...10 {
                let w = Double(step) / 10
                var score = 0.0
                for (e, f) in zip(errors, naiveErrors) { for k in e.indices where !e[k].isNaN { score += abs(w * e[k] + (1 - w) * f[k]) } }
                if score < best.score - 1e-12 { best = (w, score) }
            }
            if best.w < 1 {
                let naivePoint = Self.naiveForecast(full, phase: phase, period: longest, horizon: horizon)
                for h in 0..<horizon { point[h] = best.w * point[h] + (1 - best.w) * naivePoint[h] }
                for i in errors.indices { for k in errors[i].indices { errors[i][k] = best.w * errors[i][k] + (1 - best.w) * naiveErrors[i][k] } }
                drivers.append("blended \(Int(((1 - best.w) * 100).rounded())) % with the last \(longest)-step cycle")
            }
        }
        let mean = point.map { logScale ? max(0, expm1($0)) : $0 }
        var out = ForecastResult(mean: mean, drivers: drivers)
        // Quantiles from the empirical k-step errors at the recent origins (k beyond the scored
        // range takes the last one), so the band widens as the model's own errors do.
        var stepErrors: [[Double]] = (0..<fit.lead).map { k in errors.map { $0[k] }.filter { !$0.isNaN } }
        for q in quantiles {
            let perStep = stepErrors.indices.map { Empirical.select(&stepErrors[$0], q) ?? 0 }
            out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { h in
                let v = point[h] + (perStep.isEmpty ? 0 : perStep[min(h, perStep.count - 1)])
                return logScale ? max(0, expm1(v)) : v
            }
        }
        return out
    }

    /// What shaped the forecast: the cycles used and any holiday in the forecast window.
    static func drivers(_ periods: [Int], input: ForecastInput, n: Int, horizon: Int) -> [String] {
        var out = periods.isEmpty ? ["level and trend only (history shorter than two cycles)"] : periods.map { "\($0)-step cycle" }
        if let c = input.calendar {
            let days = Set((n..<(n + horizon)).filter { c.isHoliday($0) }.map { c.day(at: $0) })
            for d in days.sorted() {
                let civil = CivilTime(epochMilliseconds: d * 86_400_000)
                out.append("holiday \(civil.year)-\(civil.month < 10 ? "0" : "")\(civil.month)-\(civil.day < 10 ? "0" : "")\(civil.day) read as a \(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][c.behavesLike])")
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
    /// (2×m for even m), over the last `cycles` values of each phase, centred to mean zero.
    static func seasonal(_ x: [Double], period m: Int, phase: [Int], cycles: Int) -> [Double] {
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
        // The last `cycles` detrended values of each phase, in one flat buffer.
        var values = [Double](repeating: 0, count: m * cycles)
        var counts = [Int](repeating: 0, count: m)
        var t = n - 1
        while t >= 0 && t >= n - 2 * cycles * m {
            let p = phase[t]
            if !detrended[t].isNaN && counts[p] < cycles { values[p * cycles + counts[p]] = detrended[t]; counts[p] += 1 }
            t -= 1
        }
        var pattern = [Double](repeating: 0, count: m)
        values.withUnsafeMutableBufferPointer { v in
            for p in 0..<m where counts[p] > 0 {
                var slice = UnsafeMutableBufferPointer(rebasing: v[(p * cycles)..<(p * cycles + counts[p])])
                slice.sort()
                let c = counts[p]
                pattern[p] = c % 2 == 1 ? slice[c / 2] : (slice[c / 2 - 1] + slice[c / 2]) / 2
            }
        }
        let mean = pattern.reduce(0, +) / Double(m)
        return pattern.map { $0 - mean }
    }

    struct HoltFit {
        var alpha: Double, beta: Double, phi: Double
        /// The state after each step.
        var levels: [Double], trends: [Double]
        /// Origins whose k-step errors are known (k = 1…lead), oldest first.
        var origins: [Int]
        var lead: Int

        /// `φ + φ² + … + φ^k`.
        func damping(_ k: Int) -> Double {
            var d = 0.0, p = 1.0
            for _ in 0..<k { p *= phi; d += p }
            return d
        }
    }

    /// Damped Holt on `z`; (α, β, φ) from a two-stage grid by the mean absolute 1…H-step error from origins
    /// spread over the last four weeks (H = the horizon asked for, at most one week of hourly
    /// steps): the model is chosen for the lead times it will be used at, not for one step ahead.
    static func holt(_ z: [Double], horizon: Int) -> HoltFit {
        let n = z.count
        let lead = max(1, min(horizon, 168, n - 1))
        let firstOrigin = max(0, n - 672 - lead)
        let lastOrigin = n - 2
        // Parameters are chosen on ~56 origins; the final errors (the quantiles) use ~336.
        let selectStride = max(1, (lastOrigin - firstOrigin) / 56)
        let errorStride = max(1, (lastOrigin - firstOrigin) / 336)
        var levels = [Double](repeating: 0, count: n), trends = [Double](repeating: 0, count: n)
        var best: (score: Double, alpha: Double, beta: Double, phi: Double)?
        func score(_ alpha: Double, _ beta: Double, _ phi: Double) {
            filter(z, alpha: alpha, beta: beta, phi: phi, levels: &levels, trends: &trends)
            var score = 0.0
            var o = firstOrigin
            while o <= lastOrigin {
                var damp = 0.0, phiPower = 1.0
                for k in 1...lead where o + k < n {
                    phiPower *= phi; damp += phiPower
                    score += abs(z[o + k] - levels[o] - damp * trends[o])
                }
                o += selectStride
            }
            if best == nil || score < best!.score { best = (score, alpha, beta, phi) }
        }
        // Two stages: the level's α without a trend, then a damped trend on that α.
        for alpha in [0.02, 0.05, 0.1, 0.2, 0.35, 0.6] { score(alpha, 0, 1) }
        let alpha = best!.alpha
        for beta in [0.005, 0.02] { for phi in [0.8, 0.9, 0.98] { score(alpha, beta, phi) } }
        let b = best!
        filter(z, alpha: b.alpha, beta: b.beta, phi: b.phi, levels: &levels, trends: &trends)
        return HoltFit(alpha: b.alpha, beta: b.beta, phi: b.phi, levels: levels, trends: trends,
                       origins: Array(Swift.stride(from: firstOrigin, through: lastOrigin, by: errorStride)), lead: lead)
    }

    /// The last-cycle naive forecast from origin o for o + k: the latest value at or before o with
    /// the phase of o + k. Returns per origin, per lead, the error `x[o + k] − forecast`.
    static func naiveErrors(_ x: [Double], phase: [Int], period: Int, origins: [Int], lead: Int) -> [[Double]] {
        let n = x.count
        var latest = [Int](repeating: -1, count: period)
        var out: [[Double]] = []
        out.reserveCapacity(origins.count)
        var t = 0
        for o in origins {
            while t <= o { latest[phase[t]] = t; t += 1 }
            out.append((1...lead).map { k in
                guard o + k < n else { return .nan }
                let i = latest[phase[o + k]]
                return i < 0 ? 0 : x[o + k] - x[i]
            })
        }
        return out
    }

    static func naiveForecast(_ x: [Double], phase: [Int], period: Int, horizon: Int) -> [Double] {
        let n = x.count
        var latest = [Int](repeating: -1, count: period)
        for t in 0..<n { latest[phase[t]] = t }
        return (0..<horizon).map { h in latest[phase[n + h]] < 0 ? x[n - 1] : x[latest[phase[n + h]]] }
    }

    /// The damped Holt recursions; `levels[t]`, `trends[t]` are the state after seeing `z[t]`.
    static func filter(_ z: [Double], alpha: Double, beta: Double, phi: Double, levels: inout [Double], trends: inout [Double]) {
        var level = z[0], trend = 0.0
        levels[0] = level; trends[0] = trend
        for t in 1..<z.count {
            let predicted = level + phi * trend
            let newLevel = alpha * z[t] + (1 - alpha) * predicted
            trend = beta * (newLevel - level) + (1 - beta) * phi * trend
            level = newLevel
            levels[t] = level; trends[t] = trend
        }
    }
}
