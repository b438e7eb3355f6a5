import PrescientCore
import PrescientRuntime

/// `prescient backtest`: rolling-origin evaluation of Prescient and its baselines in statsforecast's
/// cross-validation layout, with a metrics table.
struct BacktestCommand: Command {
    let name = "backtest"
    let summary = "rolling-origin evaluation: cross-validation CSV and MASE / WAPE / pinball / p90 table"
    let arguments = ""
    let options: [OptionSpec] = [
        SeriesOptions.series, SeriesOptions.horizon,
        OptionSpec("--windows", value: "W", help: "forecast origins per series (default 7)"),
        OptionSpec("--step", value: "S", help: "steps between origins (default: the horizon)"),
        OptionSpec("--input-size", value: "N", help: "show each model at most the last N observations before an origin (statsforecast's input_size; default all)"),
        SeriesOptions.freq, SeriesOptions.level, SeriesOptions.holidays, SeriesOptions.models, SeriesOptions.saveModel,
        SeriesOptions.loadModel, SeriesOptions.out,
    ]
    let discussion = """
    The last origin is H steps before each series' end; each model sees only the history before its
    origin. Output rows: unique_id,ds,cutoff,y,<model>,<model>-lo-L,<model>-hi-L… (cutoff = time of
    the last observation seen). The table averages over series × origins: MASE against the in-sample
    seasonal naive (one day of steps), WAPE, pinball loss at 0.9 (scaled like MASE), and the share of
    actuals above p90.
    """
    let examples = [
        "prescient backtest --series load.csv --horizon 24 --windows 7 --out cv.csv",
        "prescient backtest --series load.csv --horizon 24 --windows 14 --step 12 --models Prescient,SeasonalNaive168",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let horizon = try SeriesOptions.horizon(args)
        let windows = try args.int("--windows", default: 7, range: 1...10_000)
        let step = try args.int("--step", default: horizon, range: 1...1_000_000)
        var levels = try SeriesOptions.levels(args)
        if !levels.contains(80) { levels.append(80); levels.sort() }  // p90 is scored
        let inputSize = try args.value("--input-size").map { _ throws(UsageError) in try args.int("--input-size", default: 0, range: 2...100_000_000) }
        let backtest = Backtest(horizon: horizon, windows: windows, step: step, inputSize: inputSize)
        var models = try SeriesOptions.models(args, defaultAll: true)
        let calendar = try SeriesOptions.calendar(args)
        let series = try SeriesOptions.load(args)
        // The LSTM learns only from what lies before each series' first origin.
        if let lstm = try SeriesOptions.lstm(args, context, series: series, calendar: calendar, horizon: horizon,
                                             trainEnd: { (try? backtest.cutoffs(count: $0.values.count).first) ?? 0 }) {
            models.append(lstm)
        }
        let quantiles = ForecastResult.quantiles(forLevels: levels)
        var text = LongFormat.crossValidationHeader(models: models.map(\.name), levels: levels) + "\n"
        var report = BacktestReport()
        var seconds = [Double](repeating: 0, count: models.count)
        var skipped: [String] = []
        for s in series {
            let input = ForecastInput(values: s.values, calendar: SeriesCalendar(series: s, calendar: calendar))
            let rows: [Backtest.Row]
            do {
                rows = try backtest.run(input, models: models, quantiles: quantiles, clock: monotonicSeconds, timed: { seconds[$0] += $1 })
            } catch .tooShort(let needed, let have) {
                skipped.append("\(s.id) (\(have) of \(needed) steps)")
                continue
            }
            LongFormat.crossValidationRows(s, rows: rows, models: models.map(\.name), levels: levels, into: &text)
            let season = SeriesCalendar(series: s, calendar: .none).stepsPerDay ?? 1
            report.add(rows: rows, series: s.values, season: max(1, season), models: models.map(\.name))
        }
        if !skipped.isEmpty { context.console.err("backtest: skipped, too short for \(windows) windows: \(skipped.joined(separator: ", "))\n") }
        guard skipped.count < series.count else { throw RuntimeError(.badInput, "no series is long enough for \(windows) windows of \(horizon) steps") }
        try SeriesOptions.write(text, args, context)
        let rowsOut = report.scores.map { sc -> [String] in
            let i = models.firstIndex { $0.name == sc.model } ?? 0
            return [sc.model, Formatting.fixed(sc.mase, 3), Formatting.fixed(sc.wape, 3), Formatting.fixed(sc.scaledPinball90, 3),
                    Formatting.fixed(sc.exceedance90 * 100, 1) + " %", Formatting.fixed(seconds[i], 3)]
        }
        let table = TextTable.render(header: ["model", "MASE", "WAPE", "pinball90", "above p90", "seconds"], rows: rowsOut, rightAligned: [1, 2, 3, 4, 5])
        // The table goes to standard output unless the CSV does.
        if args.value("--out") != nil { context.console.out(table) } else { context.console.err(table) }
        return .success
    }
}
