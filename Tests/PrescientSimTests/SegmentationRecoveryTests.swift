import PrescientCore
import PrescientSim
import Testing

/// Profiles built from a synthetic population, with the truth beside them.
func syntheticProfiles(users: Int, days: Int, seed: UInt64, throughDay: Int? = nil) -> (profiles: [UserProfile], truth: [Int], generator: PopulationGenerator) {
    let g = PopulationGenerator(spec: spec(users: users, days: days, seed: seed))
    var offsets: [String: [(at: Int64, offset: Int32)]] = [:]
    for r in g.spec.regions { offsets[r.name] = [(at: 0, offset: Int32(fixedOffsets(r.timeZone, monday)))] }
    let updater = ProfileUpdater(config: .default, offsets: RegionOffsets(transitions: offsets))
    var profiles: [String: UserProfile] = [:]
    for d in 0..<(throughDay ?? days) {
        for e in g.day(d) {
            let event = Event(time: Timestamp(milliseconds: e.timeMs), user: g.userID(Int(e.user)), region: g.spec.regions[Int(e.region)].name,
                              feature: g.spec.features[Int(e.feature)].name, device: e.device, durationSeconds: Double(e.durationSeconds),
                              bytes: e.bytes, id: "\(e.user)-\(e.localDay)-\(e.ordinal)")
            _ = updater.apply(event, to: &profiles[event.user, default: UserProfile(user: event.user, at: event.time)])
        }
    }
    let sorted = profiles.values.sorted { $0.user < $1.user }
    let truth = sorted.map { p in g.user(Int(p.user.dropFirst())!).segment.rawValue }
    return (sorted, truth, g)
}

@Suite struct SegmentationRecoveryTests {
    @Test(arguments: [UInt64(5), 21])
    func recoversTheGroundTruthSegments(_ seed: UInt64) {
        let (profiles, truth, _) = syntheticProfiles(users: 3000, days: 7, seed: seed)
        // Smaller silhouette sample than the default: this runs unoptimised in debug builds.
        var segmenter = Segmenter(seed: 3)
        segmenter.silhouetteSize = 1000
        let out = segmenter.run(profiles, now: monday.adding(seconds: 7 * 86_400))
        let labels = out.assignments.map { Int($0 ?? -1) }
        let ari = adjustedRandIndex(labels, truth)
        print("ARI \(ari), k \(out.segmentation.segments.count), silhouette \(out.segmentation.silhouette.sorted { $0.key < $1.key })")
        #expect(out.segmentation.segments.count == 5)
        #expect(ari >= 0.8)
    }
}

@Suite struct SegmentationStabilityTests {
    static func segmenter() -> Segmenter {
        var s = Segmenter(seed: 3)
        s.silhouetteSize = 800
        return s
    }

    @Test func aReRunOnTheSamePopulationKeepsEveryId() {
        let (profiles, _, _) = syntheticProfiles(users: 2000, days: 7, seed: 31)
        let now = monday.adding(seconds: 7 * 86_400)
        let first = Self.segmenter().run(profiles, now: now)
        var before: [String: Int32] = [:]
        for (i, p) in profiles.enumerated() { before[p.user] = first.assignments[i] }
        // A different seed: identities must come from matching, not from luck.
        var again = Self.segmenter()
        again.seed = 77
        let second = again.run(profiles, previous: first.segmentation, previousAssignment: { before[$0] }, now: now)
        #expect(Set(second.segmentation.segments.map(\.id)) == Set(first.segmentation.segments.map(\.id)))
        let drift = try! #require(second.segmentation.drift)
        #expect(drift.appeared.isEmpty && drift.vanished.isEmpty)
        #expect(drift.usersCompared == profiles.count)
        #expect(Double(drift.usersMoved) < 0.02 * Double(drift.usersCompared), "moved \(drift.usersMoved)")
    }

    @Test func newerDataKeepsIdsAndReportsDrift() {
        let (early, _, _) = syntheticProfiles(users: 2000, days: 7, seed: 32, throughDay: 4)
        let (late, _, _) = syntheticProfiles(users: 2000, days: 7, seed: 32)
        let first = Self.segmenter().run(early, now: monday.adding(seconds: 4 * 86_400))
        var before: [String: Int32] = [:]
        for (i, p) in early.enumerated() { before[p.user] = first.assignments[i] }
        let second = Self.segmenter().run(late, previous: first.segmentation, previousAssignment: { before[$0] }, now: monday.adding(seconds: 7 * 86_400))
        let drift = try! #require(second.segmentation.drift)
        // Monday–Thursday hides the weekend segment; a full week reveals it. Segments that still
        // exist keep their ids, new ones get new ids, and drift says what appeared, what vanished
        // and who moved.
        let earlier = Set(first.segmentation.segments.map(\.id)), later = Set(second.segmentation.segments.map(\.id))
        #expect(first.segmentation.segments.count < second.segmentation.segments.count)
        #expect(earlier.intersection(later).count >= earlier.count - 1)
        #expect(Set(drift.appeared) == later.subtracting(earlier) && Set(drift.vanished) == earlier.subtracting(later))
        #expect(later.subtracting(earlier).allSatisfy { $0 > earlier.max()! })
        #expect(drift.usersCompared > 1500 && drift.usersMoved > 0)
        let summary = second.segmentation.segments
        #expect(summary.allSatisfy { abs($0.allocation.values.reduce(0, +) - 1) < 1e-9 })
        #expect(summary.allSatisfy { !$0.topFeatures.isEmpty && !$0.topDevices.isEmpty && $0.peakHours.count == 3 })
    }
}
