import PrescientCore
import PrescientRuntime

/// The contract of `EventLog`, run against every implementation. Returns the failures.
public enum EventLogConformance {
    public static func run(makeLog: () throws -> any EventLog & ProfileStore,
                           reopen: ((any EventLog & ProfileStore) throws -> any EventLog & ProfileStore)? = nil) -> [String] {
        var failures: [String] = []
        func check(_ ok: Bool, _ what: String) { if !ok { failures.append(what) } }
        do {
            let log = try makeLog()
            let t0 = Timestamp(seconds: 1_772_409_600)
            let batch = { (k: Int) in (0..<3).map { i in
                Event(time: t0.adding(seconds: Double(k * 10 + i)), user: "u\(i)", region: "eu-west", feature: "video", device: .tv,
                      durationSeconds: 60, bytes: 100, resources: ResourceUsage(cpuMilliseconds: i == 0 ? 5 : nil), id: "b\(k)-\(i)")
            } }
            check(try log.pending().isEmpty, "a new log has nothing pending")
            let s1 = try log.append(batch(1)), s2 = try log.append(batch(2)), s3 = try log.append(batch(3))
            check(s1 < s2 && s2 < s3, "sequence numbers grow")
            check(try log.pending().map(\.seq) == [s1, s2, s3], "pending returns every batch, oldest first")
            check(try log.pending().first?.events == batch(1), "a batch reads back as appended")
            var p = UserProfile(user: "u0", at: t0)
            _ = ProfileUpdater(config: .default).apply(batch(1)[0], to: &p)
            try log.saveProfiles([p], appliedThrough: s2)
            check(try log.pending().map(\.seq) == [s3], "saving profiles drops the batches they cover")
            check(try log.profile("u0") == p, "the profiles are saved with the mark")
            let s4 = try log.append(batch(4))
            check(s4 > s3, "sequence numbers keep growing after a save")
            if let reopen {
                let again = try reopen(log)
                check(try again.pending().map(\.seq) == [s3, s4], "appended batches survive reopening")
                check(try again.pending().last?.events == batch(4), "… intact")
                check(try again.append(batch(5)) > s4, "sequence numbers keep growing after reopening")
            }
        } catch {
            failures.append("threw: \(error)")
        }
        return failures
    }
}
