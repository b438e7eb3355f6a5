import PrescientCore
import Testing

@Suite struct ProfileUpdaterTests {
    static let t0 = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2, hour: 8).epochMilliseconds()) // Monday 08:00Z
    static let updater = ProfileUpdater(config: .default)

    static func event(_ seconds: Double, user: String = "u", region: String = "eu-west", feature: String = "video",
                      device: DeviceClass = .tv, duration: Double = 600, bytes: Int64 = 0, id: String? = nil) -> Event {
        Event(time: t0.adding(seconds: seconds), user: user, region: region, feature: feature, device: device,
              durationSeconds: duration, bytes: bytes, id: id)
    }

    static func profile(_ events: [Event], updater: ProfileUpdater = updater) -> (UserProfile, [ProfileUpdater.Outcome]) {
        var p = UserProfile(user: "u", at: events[0].time)
        let outcomes = events.map { updater.apply($0, to: &p) }
        return (p, outcomes)
    }

    @Test func theOrderOfEventsWithinTheBoundDoesNotMatter() {
        var events: [Event] = []
        for i in 0..<20 {
            let feature = i % 3 == 0 ? "music" : "video"
            events.append(Self.event(Double(i) * 97, feature: feature, duration: Double(30 + i * 11)))
        }
        let (a, _) = Self.profile(events)
        let (b, _) = Self.profile(events.reversed())
        #expect(a.lastSeen == b.lastSeen && a.firstSeen == b.firstSeen && a.events == b.events)
        // Stored values are relative to each profile's decay reference; compare them as of one instant.
        let sa = a.scale(at: a.lastSeen, halfLifeDays: 14), sb = b.scale(at: b.lastSeen, halfLifeDays: 14)
        for h in 0..<168 {
            let x = Double(a.rhythm[h]) * sa, y = Double(b.rhythm[h]) * sb
            #expect(abs(x - y) <= 1e-4 * max(1, x))
        }
        let cpuA = a.cpuMillicoreMinutes * sa, cpuB = b.cpuMillicoreMinutes * sb
        #expect(abs(cpuA - cpuB) < 1e-6 * cpuA)
    }

    @Test func weightsDecayWithTheHalfLife() {
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 1
        let updater = ProfileUpdater(config: config)
        let (p, _) = Self.profile([Self.event(0, duration: 600), Self.event(86_400, duration: 600)], updater: updater)
        // As of the last event, 10 min a day ago count half: 10 + 5 = 15 active minutes.
        #expect(abs(p.activeMinutes(at: p.lastSeen, halfLifeDays: 1) - 15) < 1e-3)
        let scale = p.scale(at: p.lastSeen, halfLifeDays: 1)
        #expect(abs(Double(p.devices[DeviceClass.tv.index]) * scale - 15) < 1e-3)
        // A day later still, everything is worth half as much.
        #expect(abs(p.activeMinutes(at: p.lastSeen.adding(seconds: 86_400), halfLifeDays: 1) - 7.5) < 1e-3)
    }

    @Test func reDeliveredEventsWithAnIdAreDuplicates() {
        let e = Self.event(0, id: "evt-1")
        let (p, outcomes) = Self.profile([e, Self.event(60, id: "evt-2"), e])
        #expect(outcomes == [.applied, .applied, .duplicate])
        #expect(p.events == 2)
        // Without an id, identical requests are genuine repeats (two in the same second).
        let same = Self.event(0, duration: 0)
        #expect(Self.profile([same, same]).1 == [.applied, .applied])
    }

    @Test func lateEventsAreRejectedNotMerged() {
        let (p, outcomes) = Self.profile([Self.event(0), Self.event(7200), Self.event(7200 - 3000), Self.event(7200 - 3601)])
        #expect(outcomes[0...2] == [.applied, .applied, .applied])
        #expect(outcomes[3] == .late("3601 s older than the user's newest event (bound 3600 s)"))
        #expect(p.events == 3)
    }

    @Test func theDuplicateCheckWindowIsBoundedAndSaysSo() {
        var events = (0..<(UserProfile.maxRecent + 5)).map { Self.event(Double($0), id: "e\($0)") }
        events.append(Self.event(2, id: "e2"))          // evicted from the window: cannot be checked
        let (p, outcomes) = Self.profile(events)
        #expect(p.recent.count == UserProfile.maxRecent)
        #expect(outcomes.last == .late("older than the duplicate check still remembers for this user"))
    }

    @Test func sessionsSpreadOverTheLocalHoursTheyCover() {
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 10_000 // no decay within the test
        // Singapore is UTC+8: 08:30Z Monday is 16:30 local; a 90-minute session covers 16:30–18:00.
        let offsets = RegionOffsets(transitions: ["ap-southeast": [(at: 0, offset: 8 * 3600)]])
        let updater = ProfileUpdater(config: config, offsets: offsets)
        let (p, _) = Self.profile([Self.event(1800, region: "ap-southeast", duration: 5400)], updater: updater)
        #expect(abs(p.rhythm[16] - 30) < 1e-3 && abs(p.rhythm[17] - 60) < 1e-3)
        #expect(p.rhythm.enumerated().filter { $0.offset != 16 && $0.offset != 17 }.allSatisfy { $0.element == 0 })
    }

    @Test func costsUseMeasuredFiguresElseTheFeatureCost() {
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 10_000
        let updater = ProfileUpdater(config: config)
        // Measured: 60 s, 30 000 ms CPU → 500 millicores; 60 s of 7.5 MB → 1000 kbit/s.
        var measured = Self.event(0, feature: "video", duration: 60, bytes: 7_500_000)
        measured.resources = ResourceUsage(cpuMilliseconds: 30_000, memoryMiB: 200)
        let (a, _) = Self.profile([measured], updater: updater)
        #expect(abs(a.costPerActiveMinute.cpuMillicores - 500) < 1e-6)
        #expect(abs(a.costPerActiveMinute.networkKbps - 1000) < 1e-6)
        #expect(abs(a.costPerActiveMinute.memoryMiB - 200) < 1e-6)
        // Not measured: the configured cost of the feature.
        let (b, _) = Self.profile([Self.event(0, feature: "search", duration: 120)], updater: updater)
        #expect(b.costPerActiveMinute == PrescientConfig.default.feature(named: "search")!.cost)
    }

    @Test func theReferenceMovesWhenFarBehindWithoutChangingValues() {
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 1
        let updater = ProfileUpdater(config: config)
        // 40 days apart with a 1-day half-life: the reference must move (2^40 would overflow precision).
        let (p, _) = Self.profile([Self.event(0, duration: 600), Self.event(40 * 86_400, duration: 600)], updater: updater)
        #expect(p.decayReference == p.lastSeen)
        #expect(abs(p.activeMinutes(at: p.lastSeen, halfLifeDays: 1) - 10) < 1e-3)
    }

    @Test func onlyTheTopFeaturesAreKeptTheRestIsOther() {
        let events = (0..<12).map { Self.event(Double($0), feature: "f\($0)", duration: Double(60 * ($0 + 1))) }
        let (p, _) = Self.profile(events)
        #expect(p.features.count == UserProfile.maxFeatures)
        #expect(Set(p.features.map(\.name)) == Set((4..<12).map { "f\($0)" }))
        #expect(p.otherFeatures > 0)
    }

    @Test func covariatesCountMinutesInRainAndEvents() {
        var table = CovariateTable()
        table.set(region: "eu-west", hourStarting: Self.t0, .init(rainMillimetres: 2, event: nil))
        table.set(region: "eu-west", hourStarting: Self.t0.adding(seconds: 3600), .init(rainMillimetres: 0, event: "match-1"))
        var config = PrescientConfig.default
        config.profiles.halfLifeDays = 10_000
        let updater = ProfileUpdater(config: config, covariates: table)
        let (p, _) = Self.profile([Self.event(0, duration: 600), Self.event(3600, duration: 1200), Self.event(7200, duration: 600)], updater: updater)
        #expect(abs(p.rainMinutes - 10) < 1e-3 && abs(p.eventMinutes - 20) < 1e-3 && abs(p.covariateMinutes - 30) < 1e-3)
    }

    @Test func codecRoundTripsAndRejectsCorruptBlobs() throws {
        var (p, _) = Self.profile((0..<40).map { Self.event(Double($0) * 500, feature: "f\($0 % 10)", id: "x\($0)") })
        p.prediction = UsagePrediction(start: Self.t0, stepSeconds: 3600, values: [1, 2.5, 0])
        let blob = ProfileCodec.encode(p)
        #expect(try ProfileCodec.decode(blob) == p)
        #expect(blob.count < 1500)
        #expect(throws: ProfileCodec.DecodeError.self) { try ProfileCodec.decode(Array(blob.dropLast(3))) }
        #expect(throws: ProfileCodec.DecodeError.self) { try ProfileCodec.decode([9] + blob.dropFirst()) }
    }

    @Test func theRecentLocationFollowsAMoveWithinHoursWhileTheRegionMixRemembers() {
        // Ten days of an hour a day in eu-west, then two sessions in us-east.
        var events = (0..<10).map { Self.event(Double($0) * 86_400, region: "eu-west", duration: 3600) }
        events += [Self.event(10 * 86_400, region: "us-east", duration: 1200), Self.event(10 * 86_400 + 7200, region: "us-east", duration: 1200)]
        let (p, _) = Self.profile(events)
        #expect(p.mainRegion == "eu-west")
        #expect(p.currentRegion == "us-east")
        let total = p.location.reduce(0) { $0 + Double($1.weight) }
        let east = Double(p.location.first { $0.name == "us-east" }!.weight)
        // The last eu-west hour is ~20 h (≈ 3.3 half-lives of 6 h) older: ≥ 80 % of the weight is in us-east.
        #expect(east / total > 0.8)
        // 40 days later the location reference has moved (2^160 would overflow a Float) and the mix is still right.
        let (q, _) = Self.profile(events + [Self.event(50 * 86_400, region: "ap-southeast", duration: 60)])
        #expect(q.locationReference == q.lastSeen)
        #expect(q.currentRegion == "ap-southeast")
    }

    @Test func versionOneBlobsStillDecodeWithoutARecentLocation() throws {
        let (p, _) = Self.profile([Self.event(0, id: "a"), Self.event(600, region: "us-east", id: "b")])
        let v2 = ProfileCodec.encode(p)
        // A v1 blob is the v2 layout with one event-minutes float where v2 has one per lag, and
        // without the trailing location names and reference. After the event minutes come the
        // covariate minutes (4), no prediction (1), two recent events (1 + 2 × 16), no floor (1).
        let locationBytes = 1 + p.location.reduce(0) { $0 + 1 + $1.name.utf8.count + 4 } + 8
        let tail = 4 + 1 + 1 + 32 + 1 + locationBytes
        let lagBytes = 4 * CovariateTable.eventLags
        let v1 = [UInt8(1)] + v2[1..<(v2.count - tail - lagBytes)] + [0, 0, 0, 0] + v2[(v2.count - tail)..<(v2.count - locationBytes)]
        var expected = p
        expected.location = []
        expected.locationReference = p.decayReference
        #expect(try ProfileCodec.decode(v1) == expected)
    }

    @Test func eventHashIsStableAcrossRuns() {
        // Golden values: changing the hash breaks idempotency of stored profiles.
        let plain = Event(time: Timestamp(seconds: 1_772_409_600), user: "u000001", region: "eu-west", feature: "video",
                          device: .tv, durationSeconds: 600, bytes: 12345)
        var withID = plain
        withID.id = "u000001-0-3"
        #expect(EventHash.of(plain) == 8_266_441_331_561_608_129)
        #expect(EventHash.of(withID) == 2_832_310_169_258_573_321)
        #expect(EventHash.of(Self.event(0, id: "evt-1")) == EventHash.of(Self.event(999, feature: "x", id: "evt-1")))
        #expect(EventHash.of(Self.event(0, id: "evt-1")) != EventHash.of(Self.event(0, user: "v", id: "evt-1")))
    }
}

@Suite struct AdjustedRandIndexTests {
    @Test func knownValues() {
        #expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 7, 7]) == 1)
        // sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242424…
        #expect(abs(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 0.242424242) < 1e-6)
        #expect(abs(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1]) - -0.5) < 1e-9)
    }
}
