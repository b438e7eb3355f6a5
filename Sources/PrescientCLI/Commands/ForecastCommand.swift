import PrescientCore
import PrescientRuntime

/// `prescient forecast --series`: forecasts every series of a long-format table, writing
/// statsforecast's forecast layout.
struct ForecastCommand: Command {
    let name = "forecast"
    let summary = "forecast series (unique_id,ds,y), or every region × resource from the profiles, with quantiles"
    let arguments = ""
    let options: [OptionSpec] = [
        SeriesOptions.series, SeriesOptions.horizon, SeriesOptions.freq, SeriesOptions.level, SeriesOptions.holidays,
        SeriesOptions.models, SeriesOptions.saveModel, SeriesOptions.loadModel, SeriesOptions.out,
        CommonOptions.store, CommonOptions.config,
        OptionSpec("--reconcile", help: "with --series: make parents equal the sum of their children (ids a/b ⊃ a/b/c), MinT weighted by each forecast's spread"),
        OptionSpec("--by-segment", help: "with --store: also write one row set per segment (region/resource/segment-N); regions are their sums"),
        OptionSpec("--now", value: "TIME", help: "with --store: forecast from this instant, not before the newest event in the store (the default)"),
        OptionSpec("--covariates", value: "FILE", help: "with --store: hourly rain and scheduled events (region,ds,rain_mm,event), past and coming; segments' lifts are learned from the past hours and applied to the coming ones"),
    ]
    let discussion = """
    Output: unique_id,ds,Prescient,Prescient-lo-80,Prescient-hi-80,… — the point forecast is the
    median (p50); hi-80 is p90 and hi-98 is p99. One line per series on standard error says what
    drove its forecast (cycles, holidays; with --store, the segments).

    With --store instead of --series the forecast is bottom-up from the profiles: each user's
    rate for the hour of the week × where they have been lately × cost per active minute, summed
    per region and resource (unique_id = region/resource: cpu in vCPUs, memory in GiB, network in
    Mbit/s, hourly means), so new users, churn and users changing region show before any
    aggregate history does. With --covariates (the file ingest --covariates read, extended into
    the coming hours: a weather forecast, the event calendar), each segment's response to rain and
    to scheduled events (hour by hour from the event's start) is learned from the profiles and
    applied where the file says it will rain or an event is on.
    """
    let examples = [
        "prescient forecast --series load.csv --horizon 24 --out forecast.csv",
        "prescient forecast --series load.csv --horizon 48 --freq 30min --level 80 90 --holidays holidays.csv",
        "prescient forecast --series regions-and-segments.csv --horizon 24 --reconcile",
        "prescient forecast --store sqlite:prescient.db --horizon 24 --by-segment --out regions.csv",
        "prescient forecast --store sqlite:pop.db --covariates pop/covariates.csv --horizon 24",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        if args.value("--store") != nil && args.value("--series") == nil { return try runFromStore(args, context) }
        guard args.value("--series") != nil else { throw UsageError("give --series IN.csv (series) or --store URL (profiles)") }
        let horizon = try SeriesOptions.horizon(args)
        let levels = try SeriesOptions.levels(args)
        var models = try SeriesOptions.models(args, defaultAll: false)
        let calendar = try SeriesOptions.calendar(args)
        let series = try SeriesOptions.load(args)
        if let lstm = try SeriesOptions.lstm(args, context, series: series, calendar: calendar, horizon: horizon, trainEnd: { $0.values.count }) {
            models.append(lstm)
        }
        var quantiles = ForecastResult.quantiles(forLevels: levels)
        let reconcile = args.has("--reconcile")
        // The spread reconciliation weighs by: p10/p90 even when not asked for.
        if reconcile { quantiles = Array(Set(quantiles + [0.1, 0.9])).sorted() }
        let started = monotonicSeconds()
        var results = series.map { s in
            let input = ForecastInput(values: s.values, calendar: SeriesCalendar(series: s, calendar: calendar))
            return models.map { (name: $0.name, result: $0.forecast(input, horizon: horizon, quantiles: quantiles)) }
        }
        if reconcile {
            let children = Reconciliation.hierarchy(ids: series.map(\.id))
            guard !children.isEmpty else { throw UsageError("--reconcile: no hierarchy in the ids (a parent 'a/b' needs children 'a/b/…')") }
            for m in models.indices {
                let forecasts = results.map { $0[m].result }
                let reconciled = Reconciliation.minTrace(forecasts, variances: forecasts.map(Reconciliation.variance), children: children)
                for i in results.indices where reconciled[i] != forecasts[i] {
                    results[i][m].result = reconciled[i]
                    results[i][m].result.drivers.append(children[i] != nil ? "reconciled: equals the sum of its \(children[i]!.count) children (MinT)" : "reconciled with its parent (MinT)")
                }
            }
            context.console.err("forecast: reconciled \(children.count) parent series with their children\n")
        }
        var text = LongFormat.forecastHeader(models: models.map(\.name), levels: levels) + "\n"
        for (s, r) in zip(series, results) {
            LongFormat.forecastRows(s, models: r, levels: levels, into: &text)
            if let first = r.first {
                context.console.err("forecast: \(s.id): \(first.result.drivers.joined(separator: "; "))\n")
            }
        }
        try SeriesOptions.write(text, args, context)
        context.console.err("forecast: \(series.count) series × \(horizon) steps in \(Formatting.seconds(monotonicSeconds() - started))\(args.value("--out").map { " → \($0)" } ?? "")\n")
        return .success
    }

    /// Bottom-up forecast of every region × resource from the stored profiles.
    private func runFromStore(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let horizon = try SeriesOptions.horizon(args)
        let levels = try SeriesOptions.levels(args)
        let config = try CommonOptions.loadConfig(args, context)
        let store = try CommonOptions.openExistingStore(args, context)
        guard let newest = try store.newestEventTime() else { throw RuntimeError(.badInput, "\(store.location): the store holds no events yet") }
        var now = newest
        if let text = args.value("--now") {
            guard case .success(let t) = TimestampParser().parse(text) else { throw UsageError("--now: '\(text)' is not a time") }
            // Profiles hold everything ingested; they cannot be rewound to an earlier instant.
            guard t >= newest else { throw UsageError("--now: \(t.rfc3339) is before the newest event in the store (\(newest.rfc3339)); profiles cannot be rewound") }
            now = t
        }
        let started = monotonicSeconds()
        let offsets = TimeZoneTable().regionOffsets(config.regions)
        // Streamed: one profile in memory at a time, whatever the population (twice with covariates:
        // the segments' lifts first, then the forecast that applies them).
        var effects: CovariateEffects?
        if let path = args.value("--covariates") {
            let table = try CovariateFile.load(path)
            var e = CovariateEffects(exposure: CovariateExposure(table: table, now: now, offsets: offsets, halfLifeDays: config.profiles.halfLifeDays))
            try store.forEachProfile { e.add($0) }
            effects = e
        }
        var forecast = ProfileDemandForecast(now: now, horizon: horizon, offsets: offsets, halfLifeDays: config.profiles.halfLifeDays,
                                             churnAfterDays: config.profiles.churnAfterDays, effects: effects)
        var profileCount = 0
        try store.forEachProfile { forecast.add($0); profileCount += 1 }
        let quantiles = ForecastResult.quantiles(forLevels: levels)
        var text = LongFormat.forecastHeader(models: ["Prescient"], levels: levels) + "\n"
        let segments = forecast.segments
        for region in forecast.regions {
            for resource in Resource.allCases {
                let total = forecast.result(region: region, resource: resource, quantiles: quantiles)
                let id = "\(region)/\(resource.rawValue)"
                LongFormat.forecastRows(RegularSeries(id: id, start: forecast.start, stepSeconds: 3600, values: []), models: [("Prescient", total)], levels: levels, into: &text)
                if resource == .cpu { context.console.err("forecast: \(region): \(total.drivers.joined(separator: "; "))\n") }
                guard args.has("--by-segment") else { continue }
                for segment in segments {
                    let part = forecast.result(region: region, resource: resource, segment: .some(segment), quantiles: quantiles)
                    guard part.mean.contains(where: { $0 > 0 }) else { continue }
                    let sid = id + "/" + (segment.map { "segment-\($0)" } ?? "unsegmented")
                    LongFormat.forecastRows(RegularSeries(id: sid, start: forecast.start, stepSeconds: 3600, values: []), models: [("Prescient", part)], levels: levels, into: &text)
                }
            }
        }
        try SeriesOptions.write(text, args, context)
        context.console.err("forecast: \(profileCount) profiles → \(forecast.regions.count) regions × 3 resources × \(horizon) h from \(LongFormat.dateTime(forecast.start)) UTC in \(Formatting.seconds(monotonicSeconds() - started))\n")
        return .success
    }
}
