import Foundation
import PrescientCore
import PrescientRuntime

/// Rolling-origin accuracy of Prescient's own models on the real hourly series in ../shared/data
/// (horizon 24 h, 7 daily origins at the end). The Python anchors (statsforecast, Prophet) join
/// this table with the forecasting issue's benchmark script; until then it compares the models here.
enum ForecastCheck {
    static func run(data: String) {
        var sets: [(String, [RegularSeries])] = []
        do { sets.append(("NASA Jul–Aug 1995, hourly requests", [try nasaHourly(data + "/nasa-http-per-second/nasa_requests_per_minute_DERIVED.csv.gz")])) }
        catch { print("forecast: NASA data unreadable: \(error)") }
        do { sets.append(("Melbourne 7 sensors, hourly counts", try melbourne(data + "/melbourne-pedestrian-hourly-2016/hourly_peds.csv.gz"))) }
        catch { print("forecast: Melbourne data unreadable: \(error)") }
        let models: [any Forecaster] = [SeasonalNaive(season: 24, name: "SeasonalNaive24"), SeasonalNaive(season: 168, name: "SeasonalNaive168"), MultiSeasonalETS()]
        for (name, series) in sets {
            print("forecast: \(name) — \(series.count) series, h = 24, 7 daily origins (mean over series and origins)")
            var totals: [String: (mase: Double, wape: Double, over: Double, n: Int)] = [:]
            var seconds: [String: Double] = [:]
            for s in series {
                for m in models {
                    let t0 = monotonicSeconds()
                    guard let rows = try? Backtest(horizon: 24, windows: 7, step: 24).run(s.values, models: [m], quantiles: [0.9]) else { continue }
                    seconds[m.name, default: 0] += monotonicSeconds() - t0
                    for cutoff in Set(rows.map(\.cutoff)).sorted() {
                        let r = rows.filter { $0.cutoff == cutoff }
                        let actual = r.map(\.actual), f = r.map { $0.forecasts[m.name]! }, p90 = r.map { $0.quantiles[m.name]![0.9]! }
                        guard let a = ForecastMetrics.mase(actual: actual, forecast: f, history: Array(s.values[0..<cutoff]), season: 24),
                              let w = ForecastMetrics.wape(actual: actual, forecast: f),
                              let o = ForecastMetrics.exceedance(actual: actual, quantile: p90) else { continue }
                        var t = totals[m.name] ?? (0, 0, 0, 0)
                        t.mase += a; t.wape += w; t.over += o; t.n += 1
                        totals[m.name] = t
                    }
                }
            }
            for m in models {
                guard let t = totals[m.name], t.n > 0 else { continue }
                let n = Double(t.n)
                print("  \(m.name.padding(toLength: 18, withPad: " ", startingAt: 0)) MASE \(Formatting.fixed(t.mase / n, 3))  WAPE \(Formatting.fixed(t.wape / n, 3))  p90 exceeded \(Formatting.fixed(t.over / n * 100, 1))%  \(Formatting.seconds(seconds[m.name] ?? 0))")
            }
        }
    }

    /// Hourly sums of the per-minute NASA counts (UTC hours; hours without data are gaps).
    static func nasaHourly(_ path: String) throws -> RegularSeries {
        var hours: [Int64: Double] = [:]
        let reader = LineReader(source: try InputFile.open(path))
        let parser = TimestampParser()
        while let line = try reader.next() {
            guard case .text(let b) = line else { continue }
            let f = String(decoding: b, as: UTF8.self).split(separator: ",")
            guard f.count == 2, let v = Double(f[1]), case .success(let t) = parser.parse(String(f[0])) else { continue }
            hours[t.milliseconds / 3_600_000, default: 0] += v
        }
        return try RegularSeries.regularise(id: "nasa", observations: hours.map { (Timestamp(milliseconds: $0.key * 3_600_000), $0.value) }, step: 3600)
    }

    /// The seven sensors, Melbourne local time read on a fixed hourly grid.
    static func melbourne(_ path: String) throws -> [RegularSeries] {
        var bySensor: [String: [(Timestamp, Double)]] = [:]
        let reader = LineReader(source: try InputFile.open(path))
        let parser = TimestampParser()
        var header = true
        while let line = try reader.next() {
            guard case .text(let b) = line else { continue }
            if header { header = false; continue }
            let f = String(decoding: b, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 10, let v = Double(f[9]), case .success(let t) = parser.parse(String(f[0])) else { continue }
            bySensor[String(f[8]), default: []].append((t, v))
        }
        return try bySensor.keys.sorted().map { try RegularSeries.regularise(id: $0, observations: bySensor[$0]!, step: 3600) }
    }
}
