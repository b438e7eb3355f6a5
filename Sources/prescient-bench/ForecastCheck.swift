import Foundation
import PrescientCore
import PrescientRuntime

/// Rolling-origin accuracy on the real hourly series of ../shared/data (horizon 24 h, 7 daily
/// origins at the end of each series): Prescient's models run here, timed; the Python anchors
/// (statsforecast, Prophet — scripts/forecast-bench.sh runs them) are read from their
/// cross-validation files in `anchors` when present, and everything is scored by the same code.
enum ForecastCheck {
    static let calendars = ["nasa": "us-federal-1995.csv", "melbourne": "victoria-2016-2017.csv", "retail": "england-2010-2011.csv"]

    static func run(data: String, anchors: String?, calendarDir: String) {
        // Every model, here and in the Python anchors, sees the last 12 weeks before each origin.
        let backtest = Backtest(horizon: 24, windows: 7, step: 24, inputSize: 2016)
        for set in ForecastDataSets.all(data: data) {
            var calendar = HolidayCalendar.none
            if let file = calendars[set.file], let text = try? String(contentsOfFile: calendarDir + "/" + file, encoding: .utf8) {
                do { calendar = try HolidayCalendar.parse(text) } catch { print("forecast: \(file): \(error)") }
            }
            var report = BacktestReport()
            var seconds: [String: Double] = [:]
            var external: [String: [LongFormat.CrossValidationRow]] = [:]
            var anchorNames: [String] = []
            if let dir = anchors, let text = try? String(contentsOfFile: "\(dir)/\(set.file)_cv.csv", encoding: .utf8) {
                do {
                    external = try LongFormat.parseCrossValidation(text)
                    anchorNames = external.values.first?.first.map { Array($0.forecasts.keys).sorted() } ?? []
                } catch { print("forecast: \(set.file)_cv.csv: \(error)") }
                if let t = try? String(contentsOfFile: "\(dir)/\(set.file)_times.csv", encoding: .utf8) {
                    for line in t.split(separator: "\n").dropFirst() {
                        let f = line.split(separator: ",")
                        if f.count == 2, let v = Double(f[1]) { seconds[String(f[0])] = v }
                    }
                }
            }
            // With the anchors present, their SeasonalNaive columns are statsforecast's (same names):
            // Prescient's own baselines then stay out of the table.
            let models = anchorNames.isEmpty ? ForecastModels.all() : ForecastModels.all().filter { !anchorNames.contains($0.name) }
            for s in set.series {
                let input = ForecastInput(values: s.values, calendar: SeriesCalendar(series: s, calendar: calendar))
                guard var rows = try? backtest.run(input, models: models, quantiles: [0.1, 0.5, 0.9, 0.99], clock: monotonicSeconds,
                                                   timed: { seconds[models[$0].name, default: 0] += $1 }) else { continue }
                // Anchor rows join on (ds, cutoff): cutoff in their layout is the last time seen.
                var index: [Int64: Int] = [:]
                for (i, r) in rows.enumerated() { index[s.time(at: r.index).milliseconds &* 31 &+ s.time(at: r.cutoff - 1).milliseconds] = i }
                for e in external[s.id] ?? [] {
                    guard let i = index[e.ds.milliseconds &* 31 &+ e.cutoff.milliseconds] else { continue }
                    for (k, v) in e.forecasts { rows[i].forecasts[k] = v }
                    for (k, v) in e.quantiles { rows[i].quantiles[k] = v }
                }
                report.add(rows: rows, series: s.values, season: 24, models: models.map(\.name) + anchorNames)
            }
            print("forecast: \(set.name) — \(set.series.count) series, h = 24, 7 daily origins, 12 weeks of history each; mean over series × origins\(anchorNames.isEmpty ? " (no anchors: run scripts/forecast-bench.sh)" : "")")
            print("  model              MASE    WAPE   pinball90  p90 exceeded   seconds")
            for sc in report.scores.sorted(by: { $0.mase < $1.mase }) {
                let name = sc.model.padding(toLength: 17, withPad: " ", startingAt: 0)
                print("  \(name) \(Formatting.fixed(sc.mase, 3).leftPadded(6))  \(Formatting.fixed(sc.wape, 3).leftPadded(6))  \(Formatting.fixed(sc.scaledPinball90, 3).leftPadded(9))  \((Formatting.fixed(sc.exceedance90 * 100, 1) + " %").leftPadded(12))  \(seconds[sc.model].map { Formatting.fixed($0, 3) } ?? "—")".replacingOccurrences(of: "nan", with: "—"))
            }
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
