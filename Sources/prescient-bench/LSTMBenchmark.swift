import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSim

/// LSTM training time and accuracy on the demo population: segment × region hourly active
/// minutes with rain and match covariates, trained on all but the last day, then forecast for it.
enum LSTMBenchmark {
    static func run(users: Int, days: Int) {
        let config = PrescientConfig.default
        let tz = TimeZoneTable()
        let spec = PopulationSpec(users: users, days: days, start: Timestamp(seconds: 1_772_409_600),
                                  regions: config.regions, features: config.features, seed: 42,
                                  utcOffset: { tz.offsetSeconds($0, at: $1) })
        let t0 = monotonicSeconds()
        let generator = PopulationGenerator(spec: spec)
        let hours = days * 24, regions = config.regions.count, segments = SegmentArchetype.allCases.count
        var minutes = [[Double]](repeating: [Double](repeating: 0, count: hours), count: segments * regions)
        let startMs = spec.start.milliseconds
        for d in 0..<days {
            for e in generator.day(d) {
                let hour = Int((e.timeMs - startMs) / 3_600_000)
                guard hour >= 0 && hour < hours else { continue }
                minutes[Int(e.segment) * regions + Int(e.region)][hour] += Double(e.durationSeconds) / 60
            }
        }
        // Covariates per region and hour: rain (mm) and whether a match is on.
        var covariates = [[[Double]]](repeating: [[Double]](repeating: [0, 0], count: hours), count: regions)
        for r in 0..<regions {
            for h in 0..<hours {
                covariates[r][h][0] = generator.weather.rainMillimetres[r][h]
                let lo = startMs + Int64(h) * 3_600_000
                covariates[r][h][1] = generator.matches.contains { $0.region == r && $0.start.milliseconds < lo + 3_600_000 && $0.end.milliseconds > lo } ? 1 : 0
            }
        }
        let generated = monotonicSeconds() - t0
        let calendar = SeriesCalendar(start: spec.start, stepSeconds: 3600)
        let train = minutes.indices.map { i in
            LSTMForecaster.Series(input: ForecastInput(values: Array(minutes[i].prefix(hours - 24)), calendar: calendar), covariates: covariates[i % regions])
        }
        var settings = LSTMForecaster.Settings()
        settings.covariates = 2
        let t1 = monotonicSeconds()
        let (model, losses) = LSTMForecaster.train(train, settings: settings)
        let trained = monotonicSeconds() - t1
        print("lstm: demo population \(users) users × \(days) days → \(minutes.count) segment × region series (generated in \(Formatting.seconds(generated)))")
        print("  training: \(settings.epochs) epochs, hidden \(settings.hidden), window \(settings.window) h, horizon \(settings.horizon) h, \(model.network.parameters.count) parameters: \(Formatting.seconds(trained)) (target ≤ 60 s); loss \(Formatting.fixed(losses.first ?? 0, 4)) → \(Formatting.fixed(losses.last ?? 0, 4))")
        var report = BacktestReport()
        let others: [any Forecaster] = [SeasonalNaive(season: 168, name: "SeasonalNaive168"), ForecastModels.default()]
        for (i, series) in minutes.enumerated() where series.contains(where: { $0 > 0 }) {
            let history = LSTMForecaster.Series(input: ForecastInput(values: Array(series.prefix(hours - 24)), calendar: calendar), covariates: covariates[i % regions])
            var row = [Backtest.Row]()
            let f = model.forecast(history, horizon: 24, quantiles: [0.9])
            let rest = others.map { ($0.name, $0.forecast(history.input, horizon: 24, quantiles: [0.9])) }
            for h in 0..<24 {
                var r = Backtest.Row(index: hours - 24 + h, cutoff: hours - 24, actual: series[hours - 24 + h])
                r.forecasts["LSTM"] = f.mean[h]; r.quantiles["LSTM"] = [0.9: f.quantiles[0.9]![h]]
                for (name, o) in rest { r.forecasts[name] = o.mean[h]; r.quantiles[name] = [0.9: o.quantiles[0.9]![h]] }
                row.append(r)
            }
            report.add(rows: row, series: series, season: 24, models: ["LSTM"] + others.map(\.name))
        }
        print("  last day, h = 24, mean over series:")
        for s in report.scores {
            print("    \(s.model.padding(toLength: 17, withPad: " ", startingAt: 0)) MASE \(Formatting.fixed(s.mase, 3))  WAPE \(Formatting.fixed(s.wape, 3))  p90 exceeded \(Formatting.fixed(s.exceedance90 * 100, 1)) %")
        }
    }
}
