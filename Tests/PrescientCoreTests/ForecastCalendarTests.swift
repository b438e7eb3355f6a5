import PrescientCore
import Testing

@Suite struct HolidayCalendarTests {
    @Test func weekdaysAndWeekPhases() throws {
        // 2017-04-24 was a Monday; 2017-04-25 (ANZAC Day) a Tuesday.
        let monday = CivilTime.days(fromCivilYear: 2017, month: 4, day: 24)
        #expect(HolidayCalendar.weekday(ofDay: monday) == 0)
        #expect(HolidayCalendar.weekday(ofDay: 0) == 3)   // 1970-01-01, a Thursday
        let start = Timestamp(milliseconds: monday * 86_400_000)
        let plain = SeriesCalendar(start: start, stepSeconds: 3600)
        #expect(plain.weekPhase(0) == 0 && plain.weekPhase(24 + 9) == 24 + 9)
        let anzac = try #require(HolidayCalendar.Holiday(date: "2017-04-25", name: "ANZAC Day"))
        let withHoliday = SeriesCalendar(start: start, stepSeconds: 3600, holidayDays: [anzac.day])
        #expect(withHoliday.weekPhase(24 + 9) == 6 * 24 + 9)   // read as Sunday 09:00
        #expect(withHoliday.weekPhase(48 + 9) == 48 + 9)
        #expect(withHoliday.isHoliday(30) && !withHoliday.isHoliday(50))
        #expect(SeriesCalendar(start: start, stepSeconds: 7 * 3600).stepsPerDay == nil)
    }

    @Test func parsesProphetsLayoutWithScopesAndNamesBadRows() throws {
        let c = try HolidayCalendar.parse("ds,holiday,unique_id\n2017-04-25,ANZAC Day,\n2017-04-26,Local fair,north\n")
        let anzac = CivilTime.days(fromCivilYear: 2017, month: 4, day: 25)
        #expect(c.days(for: "south") == [anzac])
        #expect(c.days(for: "north").count == 2)
        #expect(c.name(of: anzac, for: "north") == "ANZAC Day")
        #expect(throws: LongFormatError(line: 3, error: FieldError("ds", "not a date (YYYY-MM-DD): '2017-02-30'"))) {
            try HolidayCalendar.parse("ds,holiday\n2017-04-25,x\n2017-02-30,y\n")
        }
        #expect(throws: LongFormatError(line: 1, error: FieldError("header", "no 'holiday' column (need ds, holiday[, unique_id])"))) {
            try HolidayCalendar.parse("ds,name\n")
        }
    }

    /// Three weeks of a weekday/weekend pattern with a holiday on the Tuesday after: both models
    /// forecast the holiday like a Sunday when they know the calendar, like a Tuesday when not.
    @Test func holidaysAreForecastLikeASunday() {
        let monday = CivilTime.days(fromCivilYear: 2017, month: 4, day: 3)
        let start = Timestamp(milliseconds: monday * 86_400_000)
        let y: [Double] = (0..<(21 * 24)).map { t in (t / 24) % 7 >= 5 ? 10 : 100 }
        let tuesday = monday + 22
        let calendar = SeriesCalendar(start: start, stepSeconds: 3600, holidayDays: [tuesday])
        for model in [SeasonalNaive(season: 168) as any Forecaster, MultiSeasonalETS()] {
            let with = model.forecast(ForecastInput(values: y, calendar: calendar), horizon: 48, quantiles: [])
            let without = model.forecast(ForecastInput(values: y), horizon: 48, quantiles: [])
            #expect(abs(with.mean[12] - 100) < 5, "\(model.name) Monday")
            #expect(abs(with.mean[24 + 12] - 10) < 3, "\(model.name) holiday Tuesday")
            #expect(abs(without.mean[24 + 12] - 100) < 5, "\(model.name) Tuesday without calendar")
        }
        let drivers = MultiSeasonalETS().forecast(ForecastInput(values: y, calendar: calendar), horizon: 48, quantiles: []).drivers
        #expect(drivers.contains("holiday 2017-04-25 read as a Sunday"))
    }
}

@Suite struct ForecastCalibrationTests {
    /// On 12 weeks of noisy daily × weekly traffic, a rolling backtest of 14 daily origins: the p90
    /// is exceeded by roughly one actual in ten (5–20 %), and p10 ≤ p50 ≤ p90 ≤ p99 everywhere.
    @Test func quantilesAreCalibratedAndOrdered() throws {
        var rng = SplitMix64(seed: 11)
        let n = 24 * 7 * 12
        let y: [Double] = (0..<n).map { t in
            let hour = Double(t % 24), day = (t / 24) % 7
            let level = (60 + 50 * _sin(2 * Double.pi * (hour - 7) / 24)) * (day >= 5 ? 0.5 : 1)
            return max(0, level * _exp(0.15 * rng.nextGaussian()))
        }
        let rows = try Backtest(horizon: 24, windows: 14, step: 24).run(y, models: [MultiSeasonalETS()], quantiles: [0.1, 0.5, 0.9, 0.99])
        let over = try #require(ForecastMetrics.exceedance(actual: rows.map(\.actual), quantile: rows.map { $0.quantiles["MSETS"]![0.9]! }))
        #expect(over >= 0.05 && over <= 0.2, "p90 exceeded by \(over)")
        for r in rows {
            let q = r.quantiles["MSETS"]!
            #expect(q[0.1]! <= q[0.5]! && q[0.5]! <= q[0.9]! && q[0.9]! <= q[0.99]!)
        }
    }
}

@Suite struct LongFormatLayoutTests {
    @Test func frequencies() {
        #expect(LongFormat.frequencySeconds("1h") == 3600)
        #expect(LongFormat.frequencySeconds("H") == 3600)
        #expect(LongFormat.frequencySeconds("30min") == 1800)
        #expect(LongFormat.frequencySeconds("15T") == 900)
        #expect(LongFormat.frequencySeconds("D") == 86_400)
        #expect(LongFormat.frequencySeconds("3 fortnights") == nil)
        #expect(LongFormat.frequencySeconds("0h") == nil)
    }

    @Test func crossValidationRoundTrip() throws {
        let s = RegularSeries(id: "a", start: Timestamp(milliseconds: 0), stepSeconds: 3600, values: (0..<30).map(Double.init))
        let rows = try Backtest(horizon: 2, windows: 2).run(s.values, models: [SeasonalNaive(season: 1, name: "Naive")], quantiles: [0.1, 0.9])
        var text = LongFormat.crossValidationHeader(models: ["Naive"], levels: [80]) + "\n"
        LongFormat.crossValidationRows(s, rows: rows, models: ["Naive"], levels: [80], into: &text)
        #expect(text.hasPrefix("unique_id,ds,cutoff,y,Naive,Naive-lo-80,Naive-hi-80\na,1970-01-02 02:00:00,1970-01-02 01:00:00,26.0,25.0,"))
        let back = try LongFormat.parseCrossValidation(text)
        let a = try #require(back["a"])
        #expect(a.count == 4)
        #expect(a[0].forecasts["Naive"] == 25 && a[0].y == 26)
        #expect(a[0].quantiles["Naive"]?[0.9] == rows[0].quantiles["Naive"]?[0.9])
        #expect(a[0].cutoff.milliseconds == 25 * 3_600_000)
    }
}

@Suite struct CombinerTests {
    @Test func weightsFavourTheModelThatBacktestsBetter() {
        #expect(Combiner.weights(mae: [1, 2], mode: .weight).map { ($0 * 100).rounded() } == [80, 20])
        #expect(Combiner.weights(mae: [3, 1, 2], mode: .pick) == [0, 1, 0])
        #expect(Combiner.weights(mae: [0, 2], mode: .weight) == [1, 0])
        #expect(Combiner.weights(mae: [.infinity, .infinity], mode: .weight) == [0.5, 0.5])
        // A weekly pattern: the weekly naive is exact, the daily one is not → all weight weekly.
        var y: [Double] = []
        for t in 0..<(24 * 7 * 5) {
            let weekend = (t / 24) % 7 >= 5
            y.append(weekend ? 10.0 : Double(50 + t % 24))
        }
        let c = Combiner(members: [SeasonalNaive(season: 24, name: "d"), SeasonalNaive(season: 168, name: "w")], windows: 4)
        let w = c.weights(ForecastInput(values: y), horizon: 24)
        #expect(w == [0, 1])
        let f = c.forecast(ForecastInput(values: y), horizon: 24, quantiles: [0.9])
        #expect(f.drivers.first == "weights w 100 %, d 0 %")
        #expect(f.quantiles[0.9]!.count == 24)
    }

    @Test func reconciliationMakesTotalsEqualTheirParts() {
        let total = ForecastResult(mean: [10, 20], quantiles: [0.9: [12, 24]])
        let parts = [ForecastResult(mean: [4, 5]), ForecastResult(mean: [4, 9])]
        let children = Reconciliation.hierarchy(ids: ["eu/cpu", "eu/cpu/segment-1", "eu/cpu/segment-2"])
        #expect(children == [0: [1, 2]])
        // Equal variances (OLS): gap 2 at step 0 → each of three nodes moves by 2/3.
        let ols = Reconciliation.minTrace([total] + parts, variances: [[1, 1], [1, 1], [1, 1]], children: children)
        for h in 0..<2 { #expect(abs(ols[0].mean[h] - ols[1].mean[h] - ols[2].mean[h]) < 1e-12) }
        #expect(abs(ols[0].mean[0] - (10 - 2.0 / 3)) < 1e-12)
        #expect(abs(ols[0].quantiles[0.9]![0] - (12 - 2.0 / 3)) < 1e-12)
        // A nearly certain total stays; the parts absorb the gap by their variances.
        let mint = Reconciliation.minTrace([total] + parts, variances: [[1e-9, 1e-9], [1, 1], [3, 3]], children: children)
        for (got, want) in zip(mint.map(\.mean), [[10.0, 20], [4.5, 6.5], [5.5, 13.5]]) {
            for h in 0..<2 { #expect(abs(got[h] - want[h]) < 1e-6) }
        }
    }

    @Test func reconciliationHandlesDeeperTreesAndLeavesLoneSeriesAlone() {
        // world = eu + us; eu = eu/a + eu/b; "other" stands alone.
        let ids = ["world", "world/eu", "world/us", "world/eu/a", "world/eu/b", "other"]
        let children = Reconciliation.hierarchy(ids: ids)
        #expect(children == [0: [1, 2], 1: [3, 4]])
        let base = [100.0, 50, 40, 20, 25, 7].map { ForecastResult(mean: [$0]) }
        let out = Reconciliation.minTrace(base, variances: Array(repeating: [1], count: 6), children: children)
        #expect(abs(out[0].mean[0] - out[1].mean[0] - out[2].mean[0]) < 1e-9)
        #expect(abs(out[1].mean[0] - out[3].mean[0] - out[4].mean[0]) < 1e-9)
        #expect(out[5].mean == [7])
        // The spread a forecast's p10/p90 imply: a normal's.
        let f = ForecastResult(mean: [10], quantiles: [0.1: [10 - 1.2815515655446004 * 2], 0.9: [10 + 1.2815515655446004 * 2]])
        #expect(abs(Reconciliation.variance(of: f)[0] - 4) < 1e-6)
    }
}

@Suite struct ProfileDemandForecastTests {
    /// Two users, one region at UTC: one active Mondays 09:00 for 30 min a week for 4 weeks, one
    /// silent for longer than the churn horizon. The forecast for next Monday 09:00 is 30 minutes
    /// of the first user's cost, nothing from the churned one, and zero in other hours.
    @Test func expectedMinutesTimesCostPerRegionAndSegment() {
        let monday = CivilTime.days(fromCivilYear: 2026, month: 3, day: 2)
        let now = Timestamp(milliseconds: (monday + 27) * 86_400_000 + 23 * 3_600_000)   // Sunday 23:00, 4 weeks on
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 14
        let updater = ProfileUpdater(config: config, offsets: .utc)
        var active = UserProfile(user: "a", at: Timestamp(milliseconds: monday * 86_400_000))
        for week in 0..<4 {
            let t = Timestamp(milliseconds: (monday + Int64(7 * week)) * 86_400_000 + 9 * 3_600_000)
            let e = Event(time: t, user: "a", region: "us-east", feature: "docs", device: .desktop, durationSeconds: 1800)
            _ = updater.apply(e, to: &active)
        }
        active.segment = 1
        var gone = active
        gone.user = "b"; gone.segment = 2
        gone.lastSeen = Timestamp(milliseconds: now.milliseconds - 40 * 86_400_000)
        let f = ProfileDemandForecast(profiles: [active, gone], now: now, horizon: 24, offsets: .utc, halfLifeDays: 14, churnAfterDays: 28)
        #expect(f.regions == ["us-east"] && f.users[1] == 1 && f.users[2] == nil)
        let cpu = f.result(region: "us-east", resource: .cpu, quantiles: [0.5, 0.9])
        let perMinute = active.costPerActiveMinute.cpuMillicores / 1000
        // 4 weekly sessions decayed with a 14-day half-life: the weekly-sum correction recovers
        // ≈ 30 minutes (exact for a steady habit over the observed span, within 15 % here).
        #expect(abs(cpu.mean[9] / (30.0 / 60 * perMinute) - 1) < 0.15, "\(cpu.mean[9])")
        #expect(cpu.mean[3] == 0 && cpu.mean[20] == 0)
        #expect(cpu.quantiles[0.9]![9] > cpu.mean[9])
        #expect(cpu.drivers == ["segment 1 100 %"])
        let seg = f.result(region: "us-east", resource: .cpu, segment: .some(1), quantiles: [])
        #expect(seg.mean == cpu.mean)
    }
}

@Suite struct EmpiricalQuantileTests {
    @Test func selectionAgreesWithSorting() {
        var rng = SplitMix64(seed: 21)
        for n in [1, 2, 3, 10, 97, 336] {
            let values = (0..<n).map { _ in (rng.nextGaussian() * 10).rounded() }   // ties included
            for q in [0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0] {
                var copy = values
                #expect(Empirical.select(&copy, q) == Empirical.quantile(values, q), "n \(n) q \(q)")
            }
        }
    }
}
