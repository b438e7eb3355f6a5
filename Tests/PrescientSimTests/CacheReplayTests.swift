import PrescientCore
import PrescientSim
import Testing

@Suite struct CacheReplayTests {
    @Test func anLRUWithTTLActsLikeNginxProxyCache() {
        var c = RegionCache(ttlSeconds: 10, capacity: 2)
        let seen = [c.request("/a", now: 0), c.request("/a", now: 9_999),
                    c.request("/a", now: 10_000),   // expired: a miss refetches
                    c.request("/a", now: 15_000),   // a hit does not extend the life
                    c.request("/a", now: 20_000),
                    c.request("/b", now: 20_001), c.request("/c", now: 20_002),   // /a is least recent: evicted
                    c.request("/a", now: 20_003)]
        #expect(seen == [false, true, false, true, false, false, false, false])
        #expect(c.count == 2)
        let warmed = [c.warm("/a", now: 20_004), c.warm("/zz", now: 20_005)]
        #expect(warmed == [false, true] && c.warmFetches == 1)
        #expect(c.hits == 2 && c.misses == 6)
    }

    @Test func popularityExpectsRequestsFromTheTimeOfDayAndTheShare() {
        var p = ContentPopularity(halfLifeHours: 24 * 365, slotSeconds: 60)   // no decay to speak of; minute slots
        // Three days: at 10:00–10:02 /a, at 10:03 /b.
        for day in 0..<3 {
            for k in 0..<4 {
                let t = Timestamp(milliseconds: Int64(day * 86_400_000 + 10 * 3_600_000 + k * 60_000))
                p.record(region: "eu-west", segment: k % 2, path: k < 3 ? "/a" : "/b#frag", at: t)
            }
        }
        let now = Timestamp(milliseconds: 3 * 86_400_000)
        let atTen = p.expected(region: "eu-west", from: Timestamp(milliseconds: now.milliseconds + 10 * 3_600_000), hours: 1, now: now)
        #expect(atTen.map(\.key) == ["/a", "/b"])
        #expect(abs(atTen[0].slots - 3) < 0.2 && abs(atTen[1].slots - 1) < 0.1)
        let atEleven = p.expected(region: "eu-west", from: Timestamp(milliseconds: now.milliseconds + 11 * 3_600_000), hours: 1, now: now)
        #expect(atEleven.allSatisfy { $0.slots < 0.01 })
        #expect(p.expected(region: "us-east", from: now, hours: 1, now: now).isEmpty)
    }

    @Test func aBurstCountsOnceASlot() {
        var p = ContentPopularity(halfLifeHours: 1000, slotSeconds: 600)
        // /burst: 50 requests within a minute, once an hour; /steady: once every 10 minutes.
        for h in 0..<24 {
            for k in 0..<50 { p.record(region: "r", segment: 0, path: "/burst", at: Timestamp(milliseconds: Int64(h * 3_600_000 + k * 1000))) }
            for m in 0..<6 { p.record(region: "r", segment: 0, path: "/steady", at: Timestamp(milliseconds: Int64(h * 3_600_000 + m * 600_000 + 1))) }
        }
        // The next hour: /steady is active in all 6 slots, /burst in one (its first), not 50 times.
        let e = p.expected(region: "r", from: Timestamp(milliseconds: 24 * 3_600_000), hours: 1, now: Timestamp(milliseconds: 24 * 3_600_000))
        #expect(e.map(\.key) == ["/steady", "/burst"])
        #expect(abs(e[0].slots - 6) < 0.1 && abs(e[1].slots - 1) < 0.05)
        // (Time of day is the segment's rhythm; a key gets its share of it.)
    }

    @Test func warmingTurnsTheRegularMissesOfAPopularPathIntoHits() {
        // /hot every 8 minutes (1.25 per 10-minute TTL), /cold every 25 minutes, for two days.
        var requests: [CacheReplay.Request] = []
        for m in stride(from: 0, to: 2 * 1440, by: 1) {
            if m % 8 == 0 { requests.append(.init(millis: Int64(m) * 60_000, region: 0, segment: 0, path: "/hot")) }
            if m % 25 == 0 { requests.append(.init(millis: Int64(m) * 60_000 + 1, region: 0, segment: 0, path: "/cold")) }
        }
        let r = CacheReplay(regions: ["eu-west"]).run(requests)!
        let hot = requests.filter { $0.path == "/hot" }.count
        // A copy lives 10 minutes: every other /hot request finds it; /cold never does.
        #expect(abs(r.withoutWarming.hits - hot / 2) <= 1)
        #expect(r.withWarming.hits > r.withoutWarming.hits + hot / 3)
        #expect(r.withWarming.warmFetches > 0)
        #expect(r.withWarming.requests == requests.count && r.withoutWarming.requests == requests.count)
    }

    @Test func warmPlansAreCutByTheCacheShareAndTheRateBeforeTheDeadline() {
        var p = ContentPopularity(halfLifeHours: 1000)
        for k in 0..<10 { for i in 0..<(200 - k) { p.record(region: "r", segment: k % 2, path: "/p\(k)", at: Timestamp(milliseconds: Int64(i) * 36_000)) } }
        let now = Timestamp(milliseconds: 7_200_000)
        let full = WarmPlan.make(popularity: p, region: "r", now: now, cacheTTLSeconds: 600, maxItems: 100, ratePerSecond: 10, secondsToDeadline: 60)
        #expect(full.items.map(\.key) == (0..<10).map { "/p\($0)" } && full.cut == 0)
        let byShare = WarmPlan.make(popularity: p, region: "r", now: now, cacheTTLSeconds: 600, maxItems: 3, ratePerSecond: 10, secondsToDeadline: 60)
        #expect(byShare.items.count == 3 && byShare.cut == 7 && byShare.reason.hasSuffix("cut by the cache share (3 items)"))
        let byRate = WarmPlan.make(popularity: p, region: "r", now: now, cacheTTLSeconds: 600, maxItems: 100, ratePerSecond: 2, secondsToDeadline: 2)
        #expect(byRate.items.count == 4 && byRate.reason.hasSuffix("cut by the rate (4 fetches before the deadline)"))
        #expect(WarmPlan.make(popularity: p, region: "x", now: now, cacheTTLSeconds: 600, maxItems: 10, ratePerSecond: 1, secondsToDeadline: 1).items.isEmpty)
    }
}
