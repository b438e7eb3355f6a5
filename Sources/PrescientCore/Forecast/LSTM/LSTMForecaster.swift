#if canImport(Glibc)
import Glibc
#endif

/// A global sequence model: one `LSTMNetwork` trained across many series (segment × region
/// activity, sensors, …) that forecasts `horizon` steps at once with quantile outputs.
///
/// Scale: each example works in `x = log(1 + y) − μ`, μ the mean of its input window (so series
/// of any size share one network); outputs are transformed back.
/// Input per step: x, sin/cos of hour of day and of day of week, holiday flag, then covariates.
/// Skip features per target step h: x one week and one day before h, h's holiday flag, and
/// h's covariates (known future: weather forecasts, scheduled events).
/// Quantile outputs are sorted per step at inference, so they never cross.
public struct LSTMForecaster: Forecaster {
    public struct Settings: Sendable, Equatable {
        public var window = 48
        public var hidden = 16
        public var horizon = 24
        public var quantiles: [Double] = [0.01, 0.1, 0.5, 0.9, 0.99]
        public var covariates = 0
        public var epochs = 16
        public var batch = 32
        public var rate = 0.005
        /// Steps between training origins.
        public var stride = 2
        public var seed: UInt64 = 1
        public init() {}
    }

    /// One training series: values (log-transformable counts or loads), its clock, and covariates
    /// per step (`covariates[t]` has `Settings.covariates` values; steps past the end may be given
    /// too, as known future values).
    public struct Series: Sendable {
        public var input: ForecastInput
        public var covariates: [[Double]]
        public init(input: ForecastInput, covariates: [[Double]] = []) { self.input = input; self.covariates = covariates }
    }

    public var name = "LSTM"
    public var settings: Settings
    public var network: LSTMNetwork

    static let calendarInputs = 6

    public init(settings: Settings, network: LSTMNetwork) { self.settings = settings; self.network = network }

    /// A network with fresh weights for `settings`.
    public init(settings: Settings) {
        let s = settings
        self.init(settings: s, network: LSTMNetwork(inputs: Self.calendarInputs + s.covariates, hidden: s.hidden,
                                                     skips: s.horizon * (3 + s.covariates), outputs: s.horizon * s.quantiles.count, seed: s.seed))
    }

    /// Builds the example whose input window ends just before `origin` (targets from `origin`),
    /// with the window mean μ its values are taken relative to.
    static func example(_ series: Series, origin: Int, x: [Double], settings s: Settings, withTarget: Bool) -> (example: LSTMNetwork.Example, mu: Double)? {
        let L = s.window, H = s.horizon
        guard origin >= max(L, 168) else { return nil }
        var mu = 0.0, seen = 0
        for t in (origin - L)..<origin where !x[t].isNaN { mu += x[t]; seen += 1 }
        guard seen >= L / 2 else { return nil }
        mu /= Double(seen)
        let C = s.covariates
        var seq = [Double](repeating: 0, count: L * (calendarInputs + C))
        for (i, t) in ((origin - L)..<origin).enumerated() {
            let base = i * (calendarInputs + C)
            seq[base] = x[t].isNaN ? 0 : x[t] - mu
            fillCalendar(series, t, into: &seq, at: base + 1)
            for k in 0..<C { seq[base + calendarInputs + k] = t < series.covariates.count ? series.covariates[t][k] : 0 }
        }
        var skip = [Double](repeating: 0, count: H * (3 + C))
        for h in 0..<H {
            let t = origin + h
            let week = x[t - 168], day = x[t - 24 * ((h / 24) + 1)]
            skip[h * (3 + C)] = week.isNaN ? 0 : week - mu
            skip[h * (3 + C) + 1] = day.isNaN ? 0 : day - mu
            skip[h * (3 + C) + 2] = series.input.calendar?.isHoliday(t) == true ? 1 : 0
            for k in 0..<C { skip[h * (3 + C) + 3 + k] = t < series.covariates.count ? series.covariates[t][k] : 0 }
        }
        let Q = s.quantiles.count
        var target = [Double](repeating: .nan, count: H * Q)
        if withTarget {
            var any = false
            for h in 0..<H where origin + h < x.count && !x[origin + h].isNaN {
                for q in 0..<Q { target[h * Q + q] = x[origin + h] - mu }
                any = true
            }
            if !any { return nil }
        }
        return (LSTMNetwork.Example(sequence: seq, skip: skip, target: target), mu)
    }

    static func fillCalendar(_ series: Series, _ t: Int, into v: inout [Double], at i: Int) {
        var hourOfDay = Double(t % 24), dayOfWeek = Double((t / 24) % 7), holiday = 0.0
        if let c = series.input.calendar, let perDay = c.stepsPerDay, let p = c.weekPhase(t) {
            hourOfDay = Double(p % perDay) * 24 / Double(perDay); dayOfWeek = Double(p / perDay)
            holiday = c.isHoliday(t) ? 1 : 0
        }
        v[i] = _sin(2 * .pi * hourOfDay / 24); v[i + 1] = _cos(2 * .pi * hourOfDay / 24)
        v[i + 2] = _sin(2 * .pi * dayOfWeek / 7); v[i + 3] = _cos(2 * .pi * dayOfWeek / 7)
        v[i + 4] = holiday
    }

    static func transformed(_ values: [Double]) -> [Double] { values.map { $0.isNaN ? .nan : log1p(max(0, $0)) } }

    /// Trains a network on every series (origins `stride` apart), minibatch Adam, deterministic
    /// for the seed. Returns the model and the mean training loss per epoch.
    public static func train(_ series: [Series], settings s: Settings) -> (model: LSTMForecaster, losses: [Double]) {
        var model = LSTMForecaster(settings: s)
        var examples: [LSTMNetwork.Example] = []
        for one in series {
            let x = transformed(one.input.values)
            var origin = max(s.window, 168)
            while origin + 1 <= x.count {
                if let e = example(one, origin: origin, x: x, settings: s, withTarget: true) { examples.append(e.example) }
                origin += s.stride
            }
        }
        let levels = (0..<s.horizon).flatMap { _ in s.quantiles }
        var adam = Adam(count: model.network.parameters.count, rate: s.rate)
        var rng = SplitMix64(seed: s.seed ^ 0x5EED)
        var order = Array(examples.indices)
        var losses: [Double] = []
        var grad = [Double](repeating: 0, count: model.network.parameters.count)
        for _ in 0..<s.epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            var total = 0.0
            var start = 0
            while start < order.count {
                let end = min(order.count, start + s.batch)
                for k in grad.indices { grad[k] = 0 }
                for j in start..<end { total += model.network.gradient(examples[order[j]], levels: levels, into: &grad) }
                let scale = 1 / Double(end - start)
                for k in grad.indices { grad[k] *= scale }
                adam.step(&model.network.parameters, gradient: grad)
                start = end
            }
            losses.append(examples.isEmpty ? 0 : total / Double(examples.count))
        }
        return (model, losses)
    }

    public func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult {
        forecast(Series(input: input), horizon: horizon, quantiles: quantiles)
    }

    /// Forecast from the end of `series`; steps beyond the trained horizon repeat the last one's
    /// offset from a week earlier. Requested quantiles between trained levels are interpolated.
    public func forecast(_ series: Series, horizon: Int, quantiles: [Double]) -> ForecastResult {
        let n = series.input.values.count
        var x = Self.transformed(series.input.values) + [Double](repeating: .nan, count: settings.horizon)
        // Fill gaps in the history with last week's value so the window and skips are complete.
        for t in 0..<n where x[t].isNaN { x[t] = t >= 168 ? x[t - 168] : (t > 0 ? x[t - 1] : 0) }
        guard let (e, mu) = Self.example(series, origin: n, x: x, settings: settings, withTarget: false) else {
            return SeasonalNaive(season: 24).forecast(series.input, horizon: horizon, quantiles: quantiles)
        }
        let raw = network.predict(e)
        let Q = settings.quantiles.count
        let levels = settings.quantiles
        var perStep: [[Double]] = (0..<settings.horizon).map { h in (0..<Q).map { raw[h * Q + $0] }.sorted() }
        while perStep.count < horizon { perStep.append(perStep[perStep.count - min(perStep.count, 24)]) }
        func value(_ h: Int, _ q: Double) -> Double {
            let row = perStep[h]
            let v: Double
            if q <= levels[0] { v = row[0] } else if q >= levels[Q - 1] { v = row[Q - 1] } else {
                let k = levels.firstIndex { $0 >= q }!
                let a = (q - levels[k - 1]) / (levels[k] - levels[k - 1])
                v = row[k - 1] + a * (row[k] - row[k - 1])
            }
            return max(0, expm1(v + mu))
        }
        var out = ForecastResult(mean: (0..<horizon).map { value($0, 0.5) }, drivers: ["LSTM over the last \(settings.window) steps, calendar\(settings.covariates > 0 ? ", \(settings.covariates) covariates" : "")"])
        for q in quantiles { out.quantiles[ForecastResult.key(q)] = (0..<horizon).map { value($0, q) } }
        return out
    }
}

/// The saved form of a trained LSTM: a text header with the settings, then every parameter as
/// the hexadecimal bit pattern of its Double, so a load reproduces the forecasts bit for bit.
public enum LSTMCodec {
    public static func encode(_ m: LSTMForecaster) -> String {
        let s = m.settings
        var out = "prescient-lstm 1\n"
        out += "window \(s.window) hidden \(s.hidden) horizon \(s.horizon) covariates \(s.covariates) seed \(s.seed) epochs \(s.epochs) batch \(s.batch) stride \(s.stride) rate \(String(s.rate.bitPattern, radix: 16))\n"
        out += "quantiles " + s.quantiles.map { String($0.bitPattern, radix: 16) }.joined(separator: " ") + "\n"
        out += "parameters \(m.network.parameters.count)\n"
        for p in m.network.parameters { out += String(p.bitPattern, radix: 16) + "\n" }
        return out
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int, reason: String
        public init(line: Int, reason: String) { self.line = line; self.reason = reason }
        public var description: String { "line \(line): \(reason)" }
    }

    public static func decode(_ text: String) throws(Failure) -> LSTMForecaster {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "prescient-lstm 1" else { throw Failure(line: 1, reason: "not a Prescient LSTM file (expected 'prescient-lstm 1')") }
        guard lines.count > 4 else { throw Failure(line: lines.count, reason: "truncated header") }
        let f = lines[1].split(separator: " ")
        var named: [String: Int] = [:]
        var rate: Double?
        var i = 0
        while i + 1 < f.count {
            if f[i] == "rate" { rate = UInt64(f[i + 1], radix: 16).map(Double.init(bitPattern:)) } else { named[String(f[i])] = Int(f[i + 1]) }
            i += 2
        }
        var s = LSTMForecaster.Settings()
        guard let w = named["window"], let h = named["hidden"], let hz = named["horizon"], let c = named["covariates"], w > 0, h > 0, hz > 0, c >= 0 else {
            throw Failure(line: 2, reason: "settings need window, hidden, horizon, covariates")
        }
        s.window = w; s.hidden = h; s.horizon = hz; s.covariates = c; s.seed = UInt64(named["seed"] ?? 1)
        s.epochs = named["epochs"] ?? s.epochs; s.batch = named["batch"] ?? s.batch; s.stride = named["stride"] ?? s.stride
        s.rate = rate ?? s.rate
        let q = lines[2].split(separator: " ").dropFirst().compactMap { UInt64($0, radix: 16).map(Double.init(bitPattern:)) }
        guard lines[2].hasPrefix("quantiles "), !q.isEmpty, q.allSatisfy({ $0 > 0 && $0 < 1 }) else { throw Failure(line: 3, reason: "bad quantile levels") }
        s.quantiles = q
        var model = LSTMForecaster(settings: s)
        guard lines[3] == "parameters \(model.network.parameters.count)" else {
            throw Failure(line: 4, reason: "expected 'parameters \(model.network.parameters.count)' for these settings")
        }
        for k in 0..<model.network.parameters.count {
            guard 4 + k < lines.count, let bits = UInt64(lines[4 + k], radix: 16) else { throw Failure(line: 5 + k, reason: "parameter \(k) missing or not hexadecimal") }
            model.network.parameters[k] = Double(bitPattern: bits)
        }
        return model
    }
}
