import PrescientCore
import PrescientSim
import Testing

/// Profiles built from a synthetic population, with the truth beside them.
func syntheticProfiles(users: Int, days: Int, seed: UInt64) -> (profiles: [UserProfile], truth: [Int], generator: PopulationGenerator) {
    let g = PopulationGenerator(spec: spec(users: users, days: days, seed: seed))
    var offsets: [String: [(at: Int64, offset: Int32)]] = [:]
    for r in g.spec.regions { offsets[r.name] = [(at: 0, offset: Int32(fixedOffsets(r.timeZone, monday)))] }
    let updater = ProfileUpdater(config: .default, offsets: RegionOffsets(transitions: offsets))
    var profiles: [String: UserProfile] = [:]
    for d in 0..<days {
        for e in g.day(d) {
            var line: [UInt8] = []
            g.appendJSONLine(e, to: &line)
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
