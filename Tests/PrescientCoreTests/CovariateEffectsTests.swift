import PrescientCore
import Testing

@Suite struct CovariateEffectsTests {
    /// Monday 2026-03-02 00:00Z.
    static let monday = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2, hour: 0).epochMilliseconds())
    static func hour(_ h: Int) -> Timestamp { monday.adding(seconds: Double(h) * 3600) }

    @Test func eventLagsCoverTheEventAndItsTailWhateverOrderRowsComeIn() {
        let rows: [(Int, String?)] = (0..<30).map { h in (h, h == 10 || h == 11 ? "match" : (h == 20 ? "late-show" : nil)) }
        var forward = CovariateTable(), backward = CovariateTable()
        for (h, e) in rows { forward.set(region: "eu-west", hourStarting: Self.hour(h), .init(rainMillimetres: 0, event: e)) }
        for (h, e) in rows.reversed() { backward.set(region: "eu-west", hourStarting: Self.hour(h), .init(rainMillimetres: 0, event: e)) }
        #expect(forward == backward)
        let lags = (0..<30).map { forward.eventLag(region: "eu-west", Self.hour($0)) }
        #expect(lags[9] == nil && lags[10] == 0 && lags[11] == 1 && lags[12] == 2 && lags[15] == 5 && lags[16] == nil)
        #expect(lags[20] == 0 && lags[25] == 5 && lags[26] == nil)
        #expect(forward.eventName(region: "eu-west", Self.hour(13)) == "match")
        // An hour in the tail that has no row of its own still has its lag.
        var sparse = CovariateTable()
        sparse.set(region: "eu-west", hourStarting: Self.hour(3), .init(rainMillimetres: 0, event: "m"))
        #expect(sparse.eventLag(region: "eu-west", Self.hour(5)) == 2)
    }

    @Test func ratesAreUnbiasedForEveryBinDespiteTheDecay() {
        // 30 minutes every day at 20:00 for four weeks; with a 14-day half-life the occurrences a
        // week apart weigh differently, and every bin must still read 30 minutes per occurrence.
        let updater = ProfileUpdater(config: .default)
        var p = UserProfile(user: "u", at: Self.hour(20))
        for d in 0..<28 { _ = updater.apply(Event(time: Self.hour(d * 24 + 20), user: "u", region: "eu-west", feature: "video", durationSeconds: 1800), to: &p) }
        var rates = RhythmRates(now: Self.hour(28 * 24), offsets: .utc, halfLifeDays: 14)
        var r = [Double](repeating: 0, count: 168), w = r
        rates.rates(of: p, rates: &r, weights: &w)
        for day in 0..<7 { #expect(abs(r[day * 24 + 20] - 30) < 0.01) }
        #expect(r[day: 0, hour: 9] == 0)
        // Seen on Monday and Tuesday only: Wednesday 20:00 takes the user's 20:00 rate.
        var q = UserProfile(user: "q", at: Self.hour(20))
        for d in 0..<2 { _ = updater.apply(Event(time: Self.hour(d * 24 + 20), user: "q", region: "eu-west", feature: "video", durationSeconds: 1200), to: &q) }
        var soon = RhythmRates(now: Self.hour(2 * 24), offsets: .utc, halfLifeDays: 14)
        soon.rates(of: q, rates: &r, weights: &w)
        #expect(w[2 * 24 + 20] == 0 && abs(r[2 * 24 + 20] - 20) < 0.01)
    }

    /// 200 users active at 20:00 each day for four weeks, in rain for twice as long when
    /// `sensitive`; a seeded third of the evenings rain.
    static func profiles(sensitive: Bool, table: CovariateTable, segment: Int32) -> [UserProfile] {
        var config = PrescientConfig.default
        config.ingest.lateBoundSeconds = 86_400
        let updater = ProfileUpdater(config: config, covariates: table)
        return (0..<200).map { u in
            var p = UserProfile(user: "u\(u)", at: Self.hour(20))
            for d in 0..<28 {
                let t = Self.hour(d * 24 + 20).adding(seconds: Double(u % 30) * 60)
                let raining = (table.at(region: "eu-west", t)?.rainMillimetres ?? 0) > 0
                let minutes = 20.0 * (sensitive && raining ? 2 : 1)
                _ = updater.apply(Event(time: t, user: p.user, region: "eu-west", feature: "video", durationSeconds: minutes * 60 / 2), to: &p)
                _ = updater.apply(Event(time: t.adding(seconds: 1), user: p.user, region: "eu-west", feature: "video", durationSeconds: minutes * 60 / 2), to: &p)
            }
            p.segment = segment
            return p
        }
    }

    @Test func liftsAreRecoveredFromTheProfilesAndAppliedToTheComingHours() {
        var rng = SplitMix64(seed: 3)
        var table = CovariateTable()
        for h in 0..<(30 * 24) {
            let rain: Float = h % 24 == 20 && rng.nextUnit() < 0.35 ? 2 : 0
            table.set(region: "eu-west", hourStarting: Self.hour(h), .init(rainMillimetres: rain, event: nil))
        }
        // Make it rain on the evening after `now`, dry the one after that.
        table.set(region: "eu-west", hourStarting: Self.hour(28 * 24 + 20), .init(rainMillimetres: 3, event: nil))
        table.set(region: "eu-west", hourStarting: Self.hour(29 * 24 + 20), .init(rainMillimetres: 0, event: nil))
        let now = Self.hour(28 * 24)
        let users = Self.profiles(sensitive: true, table: table, segment: 1) + Self.profiles(sensitive: false, table: table, segment: 2)
        var effects = CovariateEffects(exposure: CovariateExposure(table: table, now: now, offsets: .utc, halfLifeDays: 14))
        for p in users { effects.add(p) }
        #expect(abs(effects.lift(.rain, segment: 1) - 2) < 0.1)
        #expect(abs(effects.lift(.rain, segment: 2) - 1) < 0.05)
        #expect(effects.lift(.event(lag: 0), segment: 1) == 1) // no events: no evidence, no effect

        let forecast = ProfileDemandForecast(profiles: users, now: now.adding(seconds: -1), horizon: 48, offsets: .utc,
                                             halfLifeDays: 14, churnAfterDays: 28, effects: effects)
        let sensitive = forecast.result(region: "eu-west", resource: .cpu, segment: 1, quantiles: []).mean
        let steady = forecast.result(region: "eu-west", resource: .cpu, segment: 2, quantiles: []).mean
        // Segment 1 doubles in the rainy evening and is back to its dry self the next; segment 2 is flat.
        let rainy = sensitive[20] / sensitive[44], flat = steady[20] / steady[44]
        #expect(abs(rainy - 2) < 0.2 && abs(flat - 1) < 0.05)
        #expect(forecast.result(region: "eu-west", resource: .cpu, quantiles: []).drivers.contains { $0.hasPrefix("rain in 1 of 48 h: segment 1 ×2") })
    }

    @Test func aUserWhoMovedIsForecastWhereTheyAreNow() {
        let updater = ProfileUpdater(config: .default)
        var p = UserProfile(user: "u", at: Self.hour(20))
        for d in 0..<20 { _ = updater.apply(Event(time: Self.hour(d * 24 + 20), user: "u", region: "eu-west", feature: "video", durationSeconds: 1800), to: &p) }
        for d in 20..<22 { _ = updater.apply(Event(time: Self.hour(d * 24 + 20), user: "u", region: "us-east", feature: "video", durationSeconds: 1800), to: &p) }
        let f = ProfileDemandForecast(profiles: [p], now: Self.hour(22 * 24), horizon: 24, offsets: .utc, halfLifeDays: 14, churnAfterDays: 28)
        let east = f.result(region: "us-east", resource: .cpu, quantiles: []).mean.reduce(0, +)
        let west = f.result(region: "eu-west", resource: .cpu, quantiles: []).mean.reduce(0, +)
        #expect(east / (east + west) > 0.95)
        // Without the recent location (a version-1 profile) the long mix keeps them mostly at home.
        var old = p
        old.location = []
        let g = ProfileDemandForecast(profiles: [old], now: Self.hour(22 * 24), horizon: 24, offsets: .utc, halfLifeDays: 14, churnAfterDays: 28)
        #expect(g.result(region: "eu-west", resource: .cpu, quantiles: []).mean.reduce(0, +) > g.result(region: "us-east", resource: .cpu, quantiles: []).mean.reduce(0, +))
    }
}

private extension Array where Element == Double {
    subscript(day day: Int, hour hour: Int) -> Double { self[day * 24 + hour] }
}
