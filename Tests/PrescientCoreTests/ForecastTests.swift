import PrescientCore
import Testing

@Suite struct SeasonalNaiveTests {
    @Test func repeatsTheLastSeasonAndSkipsGaps() {
        let y: [Double] = [1, 2, 3, 4, 5, 6, .nan, 8]   // season 4: last season is 5, 6, nan, 8
        let f = SeasonalNaive(season: 4).forecast(history: y, horizon: 6, quantiles: [])
        #expect(f.mean == [5, 6, 3, 8, 5, 6])           // the gap falls back one more season (3)
    }

    @Test func quantilesComeFromSeasonalDifferencesAndWidenBySeasons() {
        // Seasonal differences of this series are all +1 or +3 (m = 2).
        let y: [Double] = [0, 10, 1, 13, 2, 16, 3, 19]
        let f = SeasonalNaive(season: 2).forecast(history: y, horizon: 4, quantiles: [0.1, 0.9])
        #expect(f.mean == [3, 19, 3, 19])
        let p90 = f.quantiles[0.9]!, p10 = f.quantiles[0.1]!
        // Differences: 1, 3, 1, 3, 1, 3 → p90 = 3, p10 = 1 (type 7 interpolation).
        #expect(p90[0] == 6 && p10[0] == 4)
        // Two seasons ahead the offset grows by √2.
        #expect(abs(p90[2] - (3 + 3 * 2.0.squareRoot())) < 1e-12)
        #expect(zip(p10, p90).allSatisfy { $0 <= $1 })
    }

    @Test func intervalsByLevel() {
        #expect(ForecastResult.quantiles(forLevels: [80, 95]) == [0.025, 0.1, 0.9, 0.975])
        let f = SeasonalNaive(season: 1).forecast(history: [1, 2, 4, 7], horizon: 1, quantiles: ForecastResult.quantiles(forLevels: [80]))
        #expect(f.interval(level: 80) != nil && f.interval(level: 95) == nil)
    }
}

@Suite struct ForecastMetricsTests {
    @Test func knownValues() throws {
        let history: [Double] = [10, 12, 11, 13]          // season 2: |11 − 10|, |13 − 12| → scale 1
        let actual: [Double] = [14, 15, .nan]
        let forecast: [Double] = [12, 16, 100]
        #expect(ForecastMetrics.mase(actual: actual, forecast: forecast, history: history, season: 2) == 1.5)
        #expect(try #require(ForecastMetrics.wape(actual: actual, forecast: forecast)) == 3.0 / 29.0)
        // Pinball at 0.9: under-forecast by 2 costs 1.8, over by 1 costs 0.1.
        #expect(abs(try #require(ForecastMetrics.pinball(actual: actual, quantile: forecast, q: 0.9)) - 0.95) < 1e-12)
        #expect(ForecastMetrics.exceedance(actual: actual, quantile: forecast) == 0.5)
        #expect(ForecastMetrics.mase(actual: [1], forecast: [1], history: [5, 5, 5], season: 1) == nil)
    }
}

@Suite struct BacktestTests {
    @Test func cutoffsAndRowsFollowTheCrossValidationLayout() throws {
        let y = (0..<20).map(Double.init)
        let bt = Backtest(horizon: 3, windows: 2, step: 2)
        #expect(try bt.cutoffs(count: 20) == [15, 17])
        let rows = try bt.run(y, models: [SeasonalNaive(season: 1, name: "Naive")], quantiles: [0.9])
        #expect(rows.map(\.index) == [15, 16, 17, 17, 18, 19])
        #expect(rows.map(\.cutoff) == [15, 15, 15, 17, 17, 17])
        #expect(rows.map { $0.forecasts["Naive"]! } == [14, 14, 14, 16, 16, 16])
        #expect(rows[0].quantiles["Naive"]?[0.9] == 15)
        #expect(throws: Backtest.Failure.tooShort(needed: 15, have: 10)) { try Backtest(horizon: 3, windows: 6, step: 2).cutoffs(count: 10) }
    }

    /// `inputSize` shows each model only the last N observations (a mean of the window tells).
    @Test func inputSizeLimitsTheHistory() throws {
        struct WindowMean: Forecaster {
            let name = "mean"
            func forecast(_ input: ForecastInput, horizon: Int, quantiles: [Double]) -> ForecastResult {
                ForecastResult(mean: [Double](repeating: input.values.reduce(0, +) / Double(input.values.count), count: horizon))
            }
        }
        let y = (0..<20).map(Double.init)
        let rows = try Backtest(horizon: 2, windows: 1, inputSize: 4).run(y, models: [WindowMean()])
        #expect(rows.map { $0.forecasts["mean"]! } == [15.5, 15.5])   // mean of 14, 15, 16, 17
    }
}

@Suite struct LongFormatTests {
    @Test func readsAndRegularisesSeriesWithGaps() throws {
        let text = "unique_id,ds,y,extra\nb,2026-03-02T02:00:00Z,5,x\na,2026-03-02T00:00:00Z,1,x\na,2026-03-02T01:00:00Z,,x\na,2026-03-02T03:00:00Z,4,x\nb,2026-03-02T00:00:00Z,3,x\n"
        let parsed = try LongFormat.parse(text)
        let a = try RegularSeries.regularise(id: "a", observations: parsed["a"]!)
        #expect(a.stepSeconds == 3600 && a.start == Timestamp(seconds: 1_772_409_600))
        #expect(a.values.count == 4 && a.values[0] == 1 && a.values[1].isNaN && a.values[2].isNaN && a.values[3] == 4)
        let b = try RegularSeries.regularise(id: "b", observations: parsed["b"]!, step: 3600)
        #expect(b.values.count == 3 && b.values[1].isNaN && b.time(at: 2) == Timestamp(seconds: 1_772_409_600 + 7200))
    }

    @Test(arguments: [
        ("unique_id,ds\na,1\n", "1: header: no 'y' column (need unique_id, ds, y)"),
        ("unique_id,ds,y\n,2026-03-02,1\n", "2: unique_id: empty"),
        ("unique_id,ds,y\na,tomorrow,1\n", "2: ds: not a timestamp: 'tomorrow' (expected epoch seconds or milliseconds, RFC 3339, or dd/Mon/yyyy:HH:MM:SS ±hhmm)"),
        ("unique_id,ds,y\na,2026-03-02,lots\n", "2: y: not a number: 'lots'"),
        ("", "1: header: empty input"),
    ])
    func badRowsNameTheLineAndField(_ text: String, _ message: String) {
        #expect(throws: (any Error).self) { try LongFormat.parse(text) }
        do { _ = try LongFormat.parse(text) } catch { #expect(error.description == message) }
    }

    @Test func irregularAndDuplicateTimesAreExplained() {
        let t0 = Timestamp(seconds: 1_772_409_600)
        #expect(throws: SeriesError(series: "x", reason: "two values at 2026-03-02T00:00:00Z")) {
            try RegularSeries.regularise(id: "x", observations: [(t0, 1), (t0, 2)])
        }
        #expect(throws: SeriesError(series: "x", reason: "2026-03-02T01:30:00Z is off the 3600 s grid that starts at 2026-03-02T00:00:00Z")) {
            try RegularSeries.regularise(id: "x", observations: [(t0, 1), (t0.adding(seconds: 3600), 2), (t0.adding(seconds: 5400), 3), (t0.adding(seconds: 7200), 4)], step: 3600)
        }
    }

    @Test func forecastHeaderMatchesStatsforecast() {
        #expect(LongFormat.forecastHeader(models: ["SeasonalNaive", "Prescient"], levels: [90, 80])
                == "unique_id,ds,SeasonalNaive,SeasonalNaive-lo-80,SeasonalNaive-hi-80,SeasonalNaive-lo-90,SeasonalNaive-hi-90,Prescient,Prescient-lo-80,Prescient-hi-80,Prescient-lo-90,Prescient-hi-90")
    }
}

@Suite struct MultiSeasonalETSTests {
    /// Daily × weekly traffic growing 1 % a day with 8 % noise: the model must beat both seasonal
    /// naive baselines it is meant to replace, and its p90 must sit above most actuals.
    @Test func beatsSeasonalNaiveOnDailyAndWeeklySeasonality() throws {
        var rng = SplitMix64(seed: 5)
        let n = 24 * 7 * 8 + 24
        let y: [Double] = (0..<n).map { t in
            let hour = Double(t % 24), day = (t / 24) % 7
            let daily = 50 + 40 * _sin(2 * Double.pi * (hour - 6) / 24)
            let weekly = day >= 5 ? 0.6 : 1.0
            let growth = _pow(1.01, Double(t) / 24)
            return daily * weekly * growth * (1 + 0.08 * rng.nextGaussian())
        }
        let history = Array(y[0..<(n - 24)]), actual = Array(y[(n - 24)...])
        let ets = MultiSeasonalETS().forecast(history: history, horizon: 24, quantiles: [0.9])
        let sn24 = SeasonalNaive(season: 24).forecast(history: history, horizon: 24, quantiles: [])
        let sn168 = SeasonalNaive(season: 168).forecast(history: history, horizon: 24, quantiles: [])
        let m = try #require(ForecastMetrics.mase(actual: actual, forecast: ets.mean, history: history, season: 24))
        let m24 = try #require(ForecastMetrics.mase(actual: actual, forecast: sn24.mean, history: history, season: 24))
        let m168 = try #require(ForecastMetrics.mase(actual: actual, forecast: sn168.mean, history: history, season: 24))
        #expect(m < m24 && m < m168, "MSETS \(m), SN24 \(m24), SN168 \(m168)")
        let over = try #require(ForecastMetrics.exceedance(actual: actual, quantile: ets.quantiles[0.9]!))
        #expect(over <= 0.25)
        #expect(MultiSeasonalETS().forecast(history: history, horizon: 24, quantiles: [0.9]) == ets)
    }

    @Test func shortAndGappyHistoriesStillForecast() {
        let f = MultiSeasonalETS().forecast(history: [3, .nan, 5, 4, .nan, 6], horizon: 3, quantiles: [0.1, 0.9])
        #expect(f.mean.count == 3 && f.mean.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(zip(f.quantiles[0.1]!, f.quantiles[0.9]!).allSatisfy { $0 <= $1 })
        #expect(MultiSeasonalETS().forecast(history: [.nan, 2, .nan], horizon: 2, quantiles: []).mean == [2, 2])
    }
}
