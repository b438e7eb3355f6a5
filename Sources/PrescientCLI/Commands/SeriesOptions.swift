import PrescientCore
import PrescientRuntime

/// Options and loading shared by `forecast --series` and `backtest`: the long-format table, its
/// frequency, holidays, interval levels and models.
enum SeriesOptions {
    static let series = OptionSpec("--series", value: "IN.csv", help: "input in the long layout unique_id,ds,y (CSV; .gz read transparently); empty y = missing")
    static let horizon = OptionSpec("--horizon", value: "H", help: "steps to forecast")
    static let freq = OptionSpec("--freq", value: "FREQ", help: "step between rows: 1h, 30min, 15min, 1d… (default: each series' most common gap)")
    static let level = OptionSpec("--level", value: "L…", help: "central prediction interval levels in percent (default 80 98: p10/p90 and p1/p99)", multiValue: true)
    static let holidays = OptionSpec("--holidays", value: "FILE", help: "holiday table ds,holiday[,unique_id] (Prophet's layout); holidays are forecast like a Sunday")
    static let models = OptionSpec("--models", value: "M,…", help: "models to run: \((ForecastModels.names + ForecastModels.trained).joined(separator: ", ")) (LSTM is trained across all the series first)", repeatable: true)
    static let saveModel = OptionSpec("--save-model", value: "FILE", help: "with LSTM: write the trained weights here")
    static let loadModel = OptionSpec("--load-model", value: "FILE", help: "with LSTM: use these weights instead of training")
    static let out = OptionSpec("--out", value: "FILE", help: "output CSV (default: standard output)")

    /// The levels asked for, validated; every forecast carries p50 (the point), p90 and p99.
    static func levels(_ args: ParsedArguments) throws(UsageError) -> [Double] {
        let raw = args.list("--level")
        if raw.isEmpty { return [80, 98] }
        var out: [Double] = []
        for s in raw {
            guard let v = Double(s), v > 0, v < 100 else { throw UsageError("--level: '\(s)' is not a percentage between 0 and 100") }
            if !out.contains(v) { out.append(v) }
        }
        return out.sorted()
    }

    static func horizon(_ args: ParsedArguments) throws(UsageError) -> Int {
        guard args.value("--horizon") != nil else { throw UsageError("--horizon is required") }
        return try args.int("--horizon", default: 24, range: 1...100_000)
    }

    static func step(_ args: ParsedArguments) throws(UsageError) -> Int64? {
        guard let f = args.value("--freq") else { return nil }
        guard let s = LongFormat.frequencySeconds(f) else { throw UsageError("--freq: '\(f)' is not a frequency (1h, 30min, 1d…)") }
        return s
    }

    /// The models named by `--models` (all when absent).
    static func models(_ args: ParsedArguments, defaultAll: Bool) throws(UsageError) -> [any Forecaster] {
        let names = args.list("--models")
        if names.isEmpty { return defaultAll ? ForecastModels.all() : [ForecastModels.default()] }
        if names.allSatisfy({ $0.lowercased() == "lstm" }) { return [] }
        var out: [any Forecaster] = []
        for n in names where !ForecastModels.trained.contains(where: { $0.lowercased() == n.lowercased() }) {
            guard let m = ForecastModels.named(n) else {
                let hint = ArgumentParser.closest(n, ForecastModels.names + ForecastModels.trained).map { " (did you mean \($0)?)" } ?? ""
                throw UsageError("--models: unknown model '\(n)'\(hint); known: \((ForecastModels.names + ForecastModels.trained).joined(separator: ", "))")
            }
            out.append(m)
        }
        return out
    }

    /// The LSTM when asked for: loaded from `--load-model`, else trained on each series up to
    /// `trainEnd(series)` (all of it for a forecast, the part before the first origin for a
    /// backtest) and saved to `--save-model` when given.
    static func lstm(_ args: ParsedArguments, _ context: CommandContext, series: [RegularSeries], calendar: HolidayCalendar,
                     horizon: Int, trainEnd: (RegularSeries) -> Int) throws -> LSTMForecaster? {
        guard args.list("--models").contains(where: { $0.lowercased() == "lstm" }) else { return nil }
        if let path = args.value("--load-model") {
            do { return try LSTMCodec.decode(try readText(path)) } catch let e as LSTMCodec.Failure { throw RuntimeError(.badInput, "\(path): \(e)") }
        }
        var settings = LSTMForecaster.Settings()
        settings.horizon = horizon
        let started = monotonicSeconds()
        let train = series.map { s in
            LSTMForecaster.Series(input: ForecastInput(values: Array(s.values.prefix(trainEnd(s))), calendar: SeriesCalendar(series: s, calendar: calendar)))
        }
        let (model, losses) = LSTMForecaster.train(train, settings: settings)
        context.console.err("lstm: trained on \(series.count) series in \(Formatting.seconds(monotonicSeconds() - started)); loss \(Formatting.fixed(losses.first ?? 0, 4)) → \(Formatting.fixed(losses.last ?? 0, 4))\n")
        if let path = args.value("--save-model") { try FileAccess.write(LSTMCodec.encode(model), to: path) }
        return model
    }

    /// Reads and regularises the series table; errors name the file and line.
    static func load(_ args: ParsedArguments) throws -> [RegularSeries] {
        let path = try args.required("--series")
        let text = try readText(path)
        let table: [String: [(Timestamp, Double)]]
        do { table = try LongFormat.parse(text) } catch { throw RuntimeError(.badInput, "\(path):\(error)") }
        do { return try LongFormat.series(table, step: try step(args)) } catch let e as SeriesError { throw RuntimeError(.badInput, "\(path): \(e)") }
    }

    static func calendar(_ args: ParsedArguments) throws -> HolidayCalendar {
        guard let path = args.value("--holidays") else { return .none }
        do { return try HolidayCalendar.parse(try readText(path)) } catch let e as LongFormatError { throw RuntimeError(.badInput, "\(path):\(e)") }
    }

    /// A whole text file (gzip read transparently).
    static func readText(_ path: String) throws -> String {
        let reader = LineReader(source: try InputFile.open(path))
        var text = ""
        while let line = try reader.next() {
            switch line {
            case .text(let b): text += String(decoding: b, as: UTF8.self); text += "\n"
            case .tooLong(let n): throw RuntimeError(.badInput, "\(path): a line of \(n) bytes is too long")
            }
        }
        return text
    }

    static func write(_ text: String, _ args: ParsedArguments, _ context: CommandContext) throws {
        if let path = args.value("--out") { try FileAccess.write(text, to: path) } else { context.console.out(text) }
    }
}
