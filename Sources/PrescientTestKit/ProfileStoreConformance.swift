import PrescientCore
import PrescientRuntime

/// The contract every `ProfileStore` must meet, as one suite run against each implementation
/// (in-memory, SQLite, Redis Cluster). Returns the failures (empty when the store conforms).
///
/// `makeStore` returns a fresh, empty store each time it is called; `reopen` (when the store is
/// durable) returns a new handle on the same data, to check that commits survive.
public enum ProfileStoreConformance {
    public static func run(makeStore: () throws -> any ProfileStore, reopen: ((any ProfileStore) throws -> any ProfileStore)? = nil) -> [String] {
        var failures: [String] = []
        func check(_ ok: Bool, _ what: String) { if !ok { failures.append(what) } }
        do {
            let store = try makeStore()
            let updater = ProfileUpdater(config: .default)
            let t0 = Timestamp(seconds: 1_772_409_600)
            var a = UserProfile(user: "alice", at: t0)
            var b = UserProfile(user: "bob ünïcode", at: t0)
            _ = updater.apply(Event(time: t0, user: "alice", region: "eu-west", feature: "video", device: .tv, durationSeconds: 600, bytes: 9_000_000, id: "a1"), to: &a)
            _ = updater.apply(Event(time: t0.adding(seconds: 3600), user: "alice", region: "us-east", feature: "music", device: .mobile, durationSeconds: 60, bytes: 1000), to: &a)
            _ = updater.apply(Event(time: t0, user: "bob ünïcode", region: "ap-southeast", feature: "docs", device: .desktop, durationSeconds: 30, bytes: 10), to: &b)

            // Empty store.
            check(try store.profileCount() == 0, "a new store is empty")
            check(try !store.hasProfiles(), "a new store has no profiles")
            check(try store.load(["alice"]).isEmpty, "loading an absent user returns nothing")
            check(try store.segmentation() == nil, "a new store has no segmentation")
            check(try store.newestEventTime() == nil, "a new store has no newest event")

            // Save and load round-trip, with a checkpoint.
            let source = SourceIdentity(path: "/data/events.jsonl", fingerprint: 0xDEAD_BEEF_0000_0001)
            try store.save([a, b], checkpoint: IngestCheckpoint(source: source, line: 120))
            let loaded = try store.load(["alice", "bob ünïcode", "carol"])
            check(loaded.count == 2, "load returns exactly the stored users asked for")
            check(loaded["alice"] == a, "a profile reads back equal to what was saved")
            check(loaded["bob ünïcode"] == b, "non-ASCII user ids round-trip")
            check(try store.checkpoint(for: source)?.line == 120, "the checkpoint saved with the profiles is found")
            check(try store.checkpoint(for: SourceIdentity(path: source.path, fingerprint: 7)) == nil, "a checkpoint does not match another fingerprint")
            check(try store.checkpoint(for: SourceIdentity(path: "/other", fingerprint: source.fingerprint)) == nil, "a checkpoint does not match another path")

            // Overwrite and advance the checkpoint.
            _ = updater.apply(Event(time: t0.adding(seconds: 7200), user: "alice", region: "eu-west", feature: "video", device: .tv, durationSeconds: 100, bytes: 5), to: &a)
            try store.save([a], checkpoint: IngestCheckpoint(source: source, line: 240))
            check(try store.profile("alice") == a, "saving again replaces the profile")
            check(try store.checkpoint(for: source)?.line == 240, "the checkpoint advances")
            check(try store.profileCount() == 2, "count counts users, not saves")
            check(try store.hasProfiles(), "a store with saved profiles has profiles")
            check(try store.newestEventTime() == t0.adding(seconds: 7200), "the newest event time is the latest lastSeen saved")
            check(try store.allProfiles().map(\.user) == ["alice", "bob ünïcode"], "profiles are listed in user order")

            // Segmentation replaces atomically and sets each profile's segment.
            let seg = Segmentation(createdAt: t0, space: BehaviourSpace(features: ["video"], regions: ["eu-west"]), segments: [],
                                   kChoice: "configured", silhouette: [2: 0.5], drift: nil, unassigned: 0)
            try store.saveSegmentation(seg, assignments: [("alice", 3), ("bob ünïcode", 4)])
            check(try store.segmentation() == seg, "the segmentation reads back equal")
            check(try store.profile("alice")?.segment == 3, "a loaded profile carries its segment")
            check(try store.assignments() == ["alice": 3, "bob ünïcode": 4], "assignments read back")
            try store.saveSegmentation(seg, assignments: [("alice", 5)])
            check(try store.assignments() == ["alice": 5], "a new segmentation replaces every assignment")
            check(try store.allProfiles().first { $0.user == "bob ünïcode" }?.segment == nil, "a user left out of the new segmentation has no segment")
            // Saving a profile keeps its assignment (assignments live apart from profiles).
            try store.save([a], checkpoint: nil)
            check(try store.profile("alice")?.segment == 5, "saving a profile does not drop its segment")

            // Large batch.
            var many: [UserProfile] = []
            for i in 0..<5000 {
                var p = UserProfile(user: "user-\(i)", at: t0)
                _ = updater.apply(Event(time: t0.adding(seconds: Double(i)), user: p.user, region: "us-east", feature: "api", durationSeconds: Double(i % 90)), to: &p)
                many.append(p)
            }
            try store.save(many, checkpoint: nil)
            check(try store.profileCount() == 5002, "a large batch is saved whole")
            check(try store.load(["user-4999"])["user-4999"] == many[4999], "the last profile of a large batch reads back")

            if let reopen {
                let again = try reopen(store)
                check(try again.profile("alice")?.segment == 5 && again.profile("alice").map { var x = $0; x.segment = nil; return x } == a,
                      "a committed profile survives reopening")
                check(try again.checkpoint(for: source)?.line == 240, "a committed checkpoint survives reopening")
                check(try again.segmentation() == seg, "the segmentation survives reopening")
                check(try again.profileCount() == 5002, "every profile survives reopening")
            }
        } catch {
            failures.append("threw: \(error)")
        }
        return failures
    }
}
