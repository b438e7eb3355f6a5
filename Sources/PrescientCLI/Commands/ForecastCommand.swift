import PrescientCore
import PrescientRuntime

/// `prescient forecast --series`: forecasts every series of a long-format table, writing
/// statsforecast's forecast layout.
struct ForecastCommand: Command {
    let name = "forecast"
    let summary = "forecast series (unique_id,ds,y) with quantiles, in statsforecast's output layout"
    let arguments = ""
    let options: [OptionSpec] = [
        SeriesOptions.series, SeriesOptions.horizon, SeriesOptions.freq, SeriesOptions.level, SeriesOptions.holidays,
        SeriesOptions.models, SeriesOptions.out,
    ]
    let discussion = """
    Output: unique_id,ds,Prescient,Prescient-lo-80,Prescient-hi-80,… — the point forecast is the
    median (p50); hi-80 is p90 and hi-98 is p99. One line per series on standard error says what
    drove its forecast (cycles, holidays).
    """
    let examples = [
        "prescient forecast --series load.csv --horizon 24 --out forecast.csv",
        "prescient forecast --series load.csv --horizon 48 --freq 30min --level 80 90 --holidays holidays.csv",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let horizon = try SeriesOptions.horizon(args)
        let levels = try SeriesOptions.levels(args)
        let models = try SeriesOptions.models(args, defaultAll: false)
        let calendar = try SeriesOptions.calendar(args)
        let series = try SeriesOptions.load(args)
        let quantiles = ForecastResult.quantiles(forLevels: levels)
        let started = monotonicSeconds()
        var text = LongFormat.forecastHeader(models: models.map(\.name), levels: levels) + "\n"
        for s in series {
            let input = ForecastInput(values: s.values, calendar: SeriesCalendar(series: s, calendar: calendar))
            let results = models.map { (name: $0.name, result: $0.forecast(input, horizon: horizon, quantiles: quantiles)) }
            LongFormat.forecastRows(s, models: results, levels: levels, into: &text)
            if let first = results.first {
                context.console.err("forecast: \(s.id): \(first.result.drivers.joined(separator: "; "))\n")
            }
        }
        try SeriesOptions.write(text, args, context)
        context.console.err("forecast: \(series.count) series × \(horizon) steps in \(Formatting.seconds(monotonicSeconds() - started))\(args.value("--out").map { " → \($0)" } ?? "")\n")
        return .success
    }
}
