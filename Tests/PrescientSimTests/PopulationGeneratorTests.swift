import PrescientCore
import PrescientSim
import Testing

/// Fixed offsets for the default regions (no DST), so the tests need no tz data.
let fixedOffsets: @Sendable (String, Timestamp) -> Int = { tz, _ in
    ["America/New_York": -5 * 3600, "Europe/London": 0, "Asia/Tokyo": 9 * 3600, "Asia/Singapore": 8 * 3600][tz] ?? 0
}

let monday = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2).epochMilliseconds())

func spec(users: Int = 4000, days: Int = 7, seed: UInt64 = 11) -> PopulationSpec {
    PopulationSpec(users: users, days: days, start: monday, regions: PrescientConfig.default.regions,
                   features: PrescientConfig.default.features, seed: seed, utcOffset: fixedOffsets)
}

/// One generated population shared by the statistical tests (generated once).
let population: (generator: PopulationGenerator, events: [GeneratedEvent]) = {
    let g = PopulationGenerator(spec: spec())
    return (g, (0..<7).flatMap { g.day($0) })
}()

@Suite struct PopulationGeneratorTests {
    @Test func sameSeedSameBytesWhateverTheChunking() {
        let a = PopulationGenerator(spec: spec(users: 700, days: 2))
        let b = PopulationGenerator(spec: spec(users: 700, days: 2))
        for d in 0..<2 {
            let x = a.day(d, chunks: 1), y = b.day(d, chunks: 7)
            #expect(x == y)
            #expect(a.jsonLines(x, chunks: 3).joined().elementsEqual(b.jsonLines(y, chunks: 5).joined()))
        }
        let other = PopulationGenerator(spec: spec(users: 700, days: 2, seed: 12))
        #expect(other.day(0) != a.day(0))
    }

    @Test func eventsAreInTimeOrderWithinTheirDay() {
        let g = population.generator
        for d in 0..<7 {
            let events = g.day(d)
            let start = monday.milliseconds + Int64(d) * 86_400_000
            #expect(events.allSatisfy { $0.timeMs >= start && $0.timeMs < start + 86_400_000 })
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.timeMs <= $1.timeMs })
        }
    }

    @Test func outputIsWhatTheIngesterReads() throws {
        let g = population.generator
        let parser = JSONLineParser()
        var normalizer = EventNormalizer(config: .default)
        var ids = Set<String>()
        for e in population.events.prefix(20_000) {
            var line: [UInt8] = []
            g.appendJSONLine(e, to: &line)
            #expect(line.last == 0x0A)
            line.removeLast()
            let raw = try line.withUnsafeBytes { try parser.parse($0) }
            let event = try normalizer.normalize(raw, labels: parser.labels).get()
            #expect(event.time.milliseconds == e.timeMs)
            #expect(event.region == PrescientConfig.default.regions[Int(e.region)].name)
            #expect(event.resources.cpuMilliseconds != nil)
            ids.insert(try #require(event.id))
        }
        #expect(ids.count == min(20_000, population.events.count)) // ids are unique
    }

    @Test func growthChurnTravelAndMovesShowInTheEvents() {
        let g = population.generator
        let start = monday.milliseconds
        var byUser: [Int32: [GeneratedEvent]] = [:]
        for e in population.events { byUser[e.user, default: []].append(e) }
        var joined = 0, churned = 0, travelled = 0, moved = 0
        for i in 0..<g.spec.users {
            let u = g.user(i)
            let events = byUser[Int32(i)] ?? []
            // No session before the first day (local days start at most 9 h before UTC days).
            if u.firstDay > 0 {
                joined += 1
                #expect(events.allSatisfy { $0.timeMs >= start + Int64(u.firstDay) * 86_400_000 - 9 * 3_600_000 })
            }
            if u.lastDay < 7 {
                churned += 1
                #expect(events.allSatisfy { $0.timeMs < start + Int64(u.lastDay + 1) * 86_400_000 + 5 * 3_600_000 })
            }
            if let t = u.trip {
                travelled += 1
                #expect(events.filter { Int($0.localDay) >= t.day && Int($0.localDay) < t.day + t.days }.allSatisfy { Int($0.region) == t.region })
            }
            if let m = u.move {
                moved += 1
                #expect(events.filter { Int($0.localDay) >= m.day }.allSatisfy { Int($0.region) == m.region })
            }
            if u.trip == nil && u.move == nil { #expect(events.allSatisfy { Int($0.region) == u.homeRegion }) }
        }
        // Shares near the spec's (4000 users): 15 % join later, 8 % churn, 3 % travel, 1 % move.
        #expect((450...750).contains(joined) && (230...420).contains(churned))
        #expect((70...180).contains(travelled) && (15...70).contains(moved))
    }

    /// Local hour and weekday of an event in its region's (fixed) offset.
    static func local(_ e: GeneratedEvent) -> (hour: Int, weekday: Int) {
        let offset = fixedOffsets(PrescientConfig.default.regions[Int(e.region)].timeZone, monday)
        let how = Timestamp(milliseconds: e.timeMs).hourOfWeek(utcOffsetSeconds: offset)
        return (how % 24, how / 24)
    }

    @Test func segmentsHaveTheirRhythms() {
        func share(_ segment: SegmentArchetype, _ predicate: ((hour: Int, weekday: Int)) -> Bool) -> Double {
            let events = population.events.filter { Int($0.segment) == segment.rawValue }
            return Double(events.filter { predicate(Self.local($0)) }.count) / Double(max(1, events.count))
        }
        #expect(share(.commuter) { $0.weekday < 5 && ((6..<10).contains($0.hour) || (16..<20).contains($0.hour)) } > 0.55)
        #expect(share(.businessHours) { $0.weekday >= 5 } < 0.05)
        #expect(share(.businessHours) { (8..<18).contains($0.hour) } > 0.8)
        #expect(share(.weekendHeavy) { $0.weekday >= 5 } > 0.55)
        #expect(share(.nightOwl) { $0.hour >= 22 || $0.hour < 4 } > 0.6)
        #expect(share(.eveningStreamer) { $0.hour >= 18 } > 0.65)
    }

    @Test func devicesAndFeaturesFollowTheSegment() {
        let features = PrescientConfig.default.features.map(\.name)
        func top(_ segment: SegmentArchetype) -> (DeviceClass, String) {
            let events = population.events.filter { Int($0.segment) == segment.rawValue }
            let d = Dictionary(grouping: events, by: \.device).max { $0.value.count < $1.value.count }!.key
            let f = Dictionary(grouping: events, by: \.feature).max { $0.value.count < $1.value.count }!.key
            return (d, features[Int(f)])
        }
        #expect(top(.commuter).0 == .mobile)
        #expect(top(.eveningStreamer) == (.tv, "video"))
        #expect(top(.businessHours) == (.desktop, "docs"))
        #expect(top(.nightOwl).1 == "gaming")
    }

    @Test func regionsHaveDifferentSegmentMixes() {
        let g = population.generator
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 4)
        for i in 0..<g.spec.users { let u = g.user(i); counts[u.homeRegion][u.segment.rawValue] += 1 }
        func share(_ r: Int, _ s: SegmentArchetype) -> Double { Double(counts[r][s.rawValue]) / Double(counts[r].reduce(0, +)) }
        // ap-southeast has more streamers and weekend users than ap-northeast, which has more commuters.
        #expect(share(3, .eveningStreamer) > share(2, .eveningStreamer) + 0.08)
        #expect(share(2, .commuter) > share(3, .commuter) + 0.1)
        // us-east holds the largest population.
        #expect(counts[0].reduce(0, +) > counts[2].reduce(0, +) * 2)
    }

    @Test func rainRaisesTheStreamersOnly() {
        let g = population.generator
        // Sessions per (region, hour) of evening streamers at 19–23 local, rainy vs dry.
        var rainy = (sessions: 0.0, hours: 0.0), dry = (sessions: 0.0, hours: 0.0)
        var perHour: [Int: Int] = [:]
        for e in population.events where Int(e.segment) == SegmentArchetype.eveningStreamer.rawValue {
            let h = Int((e.timeMs - monday.milliseconds) / 3_600_000)
            perHour[Int(e.region) * 1000 + h, default: 0] += 1
        }
        for r in 0..<4 {
            let offset = fixedOffsets(g.spec.regions[r].timeZone, monday) / 3600
            for h in 0..<(7 * 24) {
                let localHour = ((h + offset) % 24 + 24) % 24
                guard (19..<23).contains(localHour) else { continue }
                let inMatch = g.matches.contains { $0.region == r && $0.start.milliseconds <= monday.milliseconds + Int64(h) * 3_600_000 && $0.end.milliseconds > monday.milliseconds + Int64(h) * 3_600_000 }
                if inMatch { continue }
                let n = Double(perHour[r * 1000 + h, default: 0])
                if g.weather.isRaining(region: r, hour: h) { rainy.sessions += n; rainy.hours += 1 } else { dry.sessions += n; dry.hours += 1 }
            }
        }
        let ratio = (rainy.sessions / rainy.hours) / (dry.sessions / dry.hours)
        #expect(rainy.hours > 10)
        #expect(ratio > 1.25 && ratio < 2.2, "rainy/dry session rate \(ratio)")
    }

    @Test func aMatchSpikesItsSegmentInItsRegion() throws {
        let g = population.generator
        let match = try #require(g.matches.first)
        let streamers = population.events.filter { Int($0.segment) == match.segment.rawValue && Int($0.region) == match.region }
        let during = streamers.filter { $0.timeMs >= match.start.milliseconds && $0.timeMs < match.end.milliseconds }.count
        let dayBefore = streamers.filter { $0.timeMs >= match.start.milliseconds - 86_400_000 && $0.timeMs < match.end.milliseconds - 86_400_000 }.count
        let dayAfter = streamers.filter { $0.timeMs >= match.start.milliseconds + 86_400_000 && $0.timeMs < match.end.milliseconds + 86_400_000 }.count
        #expect(Double(during) > 2.2 * Double(max(dayBefore, dayAfter)), "during \(during), before \(dayBefore), after \(dayAfter)")
    }
}

@Suite struct DemandAccumulatorTests {
    @Test func splitsSessionsAcrossMinutesExactly() {
        var acc = DemandAccumulator(start: monday, minutes: 10, regions: 1, features: 1)
        // 30 s inside minute 0; 150 s from 0:30 (minute 0 half, minutes 1–2 full); one past the end.
        acc.add(region: 0, feature: 0, startMs: monday.milliseconds + 10_000, seconds: 30)
        acc.add(region: 0, feature: 0, startMs: monday.milliseconds + 30_000, seconds: 150)
        acc.add(region: 0, feature: 0, startMs: monday.milliseconds + 9 * 60_000 + 30_000, seconds: 600)
        let a = acc.activity(region: 0, feature: 0)
        #expect(a == [1.0, 1.0, 1.0, 0, 0, 0, 0, 0, 0, 0.5])
        let rows = acc.demand(region: 0, costs: [FeatureCost(cpuMillicores: 100, memoryMiB: 10, networkKbps: 1)])
        #expect(rows[1].cpu == 100 && rows[9].memory == 5)
    }

    @Test func totalActivityEqualsTotalSessionMinutes() {
        let g = population.generator
        var acc = DemandAccumulator(start: monday, minutes: 7 * 1440, regions: 4, features: g.spec.features.count)
        var minutes = 0.0
        let end = monday.milliseconds + 7 * 86_400_000
        for e in population.events {
            acc.add(region: Int(e.region), feature: Int(e.feature), startMs: e.timeMs, seconds: Double(e.durationSeconds))
            minutes += Double(min(Int64(Double(e.durationSeconds) * 1000), end - e.timeMs)) / 60_000
        }
        var total = 0.0
        for r in 0..<4 { for f in 0..<g.spec.features.count { total += acc.activity(region: r, feature: f).reduce(0, +) } }
        #expect(abs(total - minutes) / minutes < 1e-6)
    }
}
