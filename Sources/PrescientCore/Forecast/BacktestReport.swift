/// Accuracy per model over rolling-origin backtests of many series: each (series, cutoff) window
/// is scored, then the scores are averaged over all windows of all series, so every window counts
/// the same whichever model is asked.
///
/// - MASE: mean absolute error over the window ÷ the in-sample seasonal naive error of the history
///   before the cutoff (season = one day of steps).
/// - WAPE: `Σ|y − ŷ| / Σ|y|` over the window.
/// - Pinball loss at 0.9 of the p90 forecast, scaled like MASE so series of any size average.
/// - p90 exceedance: the share of actuals above the p90 forecast (≈ 10 % when calibrated).
public struct BacktestReport: Sendable {
    public struct Score: Sendable, Equatable {
        public var model: String
        public var mase: Double
        public var wape: Double
        public var scaledPinball90: Double
        public var exceedance90: Double
        /// Windows scored.
        public var windows: Int
    }

    private struct Sum { var mase = 0.0, wape = 0.0, pinball = 0.0, over = 0.0, n = 0, pinballN = 0, overN = 0 }
    private var sums: [String: Sum] = [:]
    public private(set) var models: [String] = []

    public init() {}

    /// Scores the rows of one series' backtest. `history` is the whole series (the scale of each
    /// window comes from the part before its cutoff); `season` is the MASE season in steps.
    public mutating func add(rows: [Backtest.Row], series history: [Double], season: Int, models names: [String]) {
        for m in names where !models.contains(m) { models.append(m) }
        var byCutoff: [Int: [Backtest.Row]] = [:]
        for r in rows { byCutoff[r.cutoff, default: []].append(r) }
        for cutoff in byCutoff.keys.sorted() {
            let window = byCutoff[cutoff]!.sorted { $0.index < $1.index }
            let past = Array(history[0..<min(cutoff, history.count)])
            let scale = SeasonalNaive.seasonalDifferences(past, season: season).map(abs)
            guard !scale.isEmpty else { continue }
            let s = scale.reduce(0, +) / Double(scale.count)
            guard s > 0 else { continue }
            let actual = window.map(\.actual)
            for m in names {
                let f = window.map { $0.forecasts[m] ?? .nan }
                guard let mae = ForecastMetrics.mae(actual: actual, forecast: f), let w = ForecastMetrics.wape(actual: actual, forecast: f) else { continue }
                var sum = sums[m] ?? Sum()
                sum.mase += mae / s; sum.wape += w; sum.n += 1
                let p90 = window.map { $0.quantiles[m]?[0.9] ?? .nan }
                if let p = ForecastMetrics.pinball(actual: actual, quantile: p90, q: 0.9), let o = ForecastMetrics.exceedance(actual: actual, quantile: p90) {
                    sum.pinball += p / s; sum.pinballN += 1; sum.over += o; sum.overN += 1
                }
                sums[m] = sum
            }
        }
    }

    public var scores: [Score] {
        models.compactMap { m in
            guard let s = sums[m], s.n > 0 else { return nil }
            return Score(model: m, mase: s.mase / Double(s.n), wape: s.wape / Double(s.n),
                         scaledPinball90: s.pinballN > 0 ? s.pinball / Double(s.pinballN) : .nan,
                         exceedance90: s.overN > 0 ? s.over / Double(s.overN) : .nan, windows: s.n)
        }
    }
}
