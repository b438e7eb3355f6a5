/// Rolling-origin evaluation: forecasts from `windows` cutoffs `step` observations apart, the last
/// one `horizon` before the end, each model seeing only the history before its cutoff.
///
/// Cutoff i (0-based, oldest first) is at index `n − horizon − (windows − 1 − i)·step`; the rows are
/// those of statsforecast's `cross_validation`: one per window and step, with the actual and each
/// model's mean (and quantiles).
public struct Backtest: Sendable {
    public var horizon: Int
    public var windows: Int
    public var step: Int
    /// At most this many observations before each cutoff are shown to the models (statsforecast's
    /// `input_size`); nil = all.
    public var inputSize: Int?

    public init(horizon: Int, windows: Int, step: Int? = nil, inputSize: Int? = nil) {
        self.horizon = max(1, horizon); self.windows = max(1, windows); self.step = max(1, step ?? horizon)
        self.inputSize = inputSize.map { max(2, $0) }
    }

    public struct Row: Sendable, Equatable {
        public init(index: Int, cutoff: Int, actual: Double, forecasts: [String: Double] = [:], quantiles: [String: [Double: Double]] = [:]) {
            self.index = index; self.cutoff = cutoff; self.actual = actual; self.forecasts = forecasts; self.quantiles = quantiles
        }

        /// Index of the forecast step in the series and of the cutoff (the last observation seen + 1).
        public var index: Int
        public var cutoff: Int
        public var actual: Double
        /// Per model name: mean and quantiles.
        public var forecasts: [String: Double]
        public var quantiles: [String: [Double: Double]]
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The series is too short for the windows asked for: it needs `needed` observations.
        case tooShort(needed: Int, have: Int)
    }

    /// The cutoff indices, oldest first.
    public func cutoffs(count n: Int) throws(Failure) -> [Int] {
        let first = n - horizon - (windows - 1) * step
        guard first >= 2 else { throw .tooShort(needed: horizon + (windows - 1) * step + 2, have: n) }
        return (0..<windows).map { first + $0 * step }
    }

    /// Runs each model on its own (so each can be timed), merging their columns into one row set;
    /// `timed` is called with each model's index and seconds.
    public func run(_ input: ForecastInput, models: [any Forecaster], quantiles: [Double], clock: () -> Double, timed: (Int, Double) -> Void) throws(Failure) -> [Row] {
        var rows: [Row] = []
        for (i, m) in models.enumerated() {
            let t0 = clock()
            let r = try run(input, models: [m], quantiles: quantiles)
            timed(i, clock() - t0)
            if rows.isEmpty { rows = r; continue }
            for j in rows.indices { rows[j].forecasts[m.name] = r[j].forecasts[m.name]; rows[j].quantiles[m.name] = r[j].quantiles[m.name] }
        }
        return rows
    }

    public func run(_ y: [Double], models: [any Forecaster], quantiles: [Double] = []) throws(Failure) -> [Row] {
        try run(ForecastInput(values: y), models: models, quantiles: quantiles)
    }

    public func run(_ input: ForecastInput, models: [any Forecaster], quantiles: [Double] = []) throws(Failure) -> [Row] {
        let y = input.values
        var rows: [Row] = []
        for c in try cutoffs(count: y.count) {
            var history = input.prefix(c)
            if let size = inputSize, c > size { history = input.window(from: c - size, to: c) }
            let results = models.map { ($0.name, $0.forecast(history, horizon: horizon, quantiles: quantiles)) }
            for h in 0..<horizon where c + h < y.count {
                var row = Row(index: c + h, cutoff: c, actual: y[c + h], forecasts: [:], quantiles: [:])
                for (name, r) in results {
                    row.forecasts[name] = r.mean[h]
                    row.quantiles[name] = r.quantiles.mapValues { $0[h] }
                }
                rows.append(row)
            }
        }
        return rows
    }
}
