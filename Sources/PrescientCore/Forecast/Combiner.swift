/// Weights several models per series from a rolling backtest inside the history, then combines
/// their forecasts: the mean as the weighted mean, each quantile as the weighted mean of the
/// members' quantiles (quantile averaging keeps each member's calibration and ordering).
///
/// Weights: `w_i ∝ 1 / MAE_i²` over `windows` origins `step` apart at the end of the history
/// (each member refitted on the history before each origin), or all weight on the lowest MAE
/// (`pick`). Too short a history for one window: equal weights.
public struct Combiner: Forecaster {
    public enum Mode: Sendable { case weight, pick }

    public var name: String
    public var members: [any Forecaster]
    public var windows: Int
    public var step: Int?
    public var mode: Mode

    public init(members: [any Forecaster], windows: Int = 3, step: Int? = nil, mode: Mode = .weight, name: String = "Combined") {
        self.members = members; self.windows = max(1, windows); self.step = step; self.mode = mode; self.name = name
    }

    /// Per member, its weight for `input` at `horizon` (sums to 1).
    public func weights(_ input: ForecastInput, horizon: Int) -> [Double] {
        let equal = [Double](repeating: 1 / Double(members.count), count: members.count)
        let backtest = Backtest(horizon: horizon, windows: windows, step: step ?? horizon)
        guard let rows = try? backtest.run(input, models: members, quantiles: []), !rows.isEmpty else { return equal }
        let mae: [Double] = members.map { m in
            ForecastMetrics.mae(actual: rows.map(\.actual), forecast: rows.map { $0.forecasts[m.name] ?? .nan }) ?? .infinity
        }
        return Self.weights(mae: mae, mode: mode)
    }

    /// `1/MAE²` weights (or the best alone); a perfect member takes all the weight.
    public static func weights(mae: [Double], mode: Mode) -> [Double] {
        guard let best = mae.indices.min(by: { mae[$0] < mae[$1] }), mae[best].isFinite else {
            return [Double](repeating: 1 / Double(max(1, mae.count)), count: mae.count)
        }
        if mode == .pick || mae[best] == 0 { return mae.indices.map { $0 == best ? 1 : 0 } }
        let raw = mae.map { $0.isFinite ? 1 / ($0 * $0) : 0 }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    public func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult {
        let w = weights(input, horizon: horizon)
        let results = members.map { $0.forecast(input, horizon: horizon, quantiles: quantiles) }
        var out = ForecastResult(mean: [Double](repeating: 0, count: horizon))
        for (wi, r) in zip(w, results) where wi > 0 {
            for h in 0..<horizon { out.mean[h] += wi * r.mean[h] }
            for q in quantiles {
                let k = ForecastResult.key(q)
                var v = out.quantiles[k] ?? [Double](repeating: 0, count: horizon)
                for h in 0..<horizon { v[h] += wi * (r.quantiles[k]?[h] ?? r.mean[h]) }
                out.quantiles[k] = v
            }
        }
        let ranked = zip(members, w).sorted { $0.1 > $1.1 }
        out.drivers = ["weights " + ranked.map { "\($0.0.name) \(Int(($0.1 * 100).rounded())) %" }.joined(separator: ", ")]
        if let top = ranked.first, let i = members.firstIndex(where: { $0.name == top.0.name }) { out.drivers += results[i].drivers }
        return out
    }
}
