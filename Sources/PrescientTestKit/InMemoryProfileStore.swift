import PrescientCore
import PrescientRuntime

/// A `ProfileStore` in memory, with the same contract as the real ones (it passes the same
/// conformance suite): saves are all-or-nothing, profiles are copied in and out.
public final class InMemoryProfileStore: ProfileStore {
    public var location: String { "memory" }
    private var profiles: [String: UserProfile] = [:]
    private var checkpoints: [String: IngestCheckpoint] = [:]
    private var stored: Segmentation?
    private var members: [String: Int32] = [:]
    /// When set, the next `save` fails with this error and changes nothing (to test callers).
    public var failNextSave: RuntimeError?
    public private(set) var saves = 0
    private var log: [(seq: Int64, events: [Event])] = []
    private var logSeq: Int64 = 0

    public init() {}

    public func load(_ users: [String]) throws(RuntimeError) -> [String: UserProfile] {
        var out: [String: UserProfile] = [:]
        for u in users {
            guard var p = profiles[u] else { continue }
            p.segment = members[u]
            out[u] = p
        }
        return out
    }

    public func save(_ batch: [UserProfile], checkpoint: IngestCheckpoint?) throws(RuntimeError) {
        if let e = failNextSave { failNextSave = nil; throw e }
        for var p in batch { p.segment = nil; profiles[p.user] = p }
        if let c = checkpoint { checkpoints[c.source.path] = c }
        saves += 1
    }

    public func checkpoint(for source: SourceIdentity) throws(RuntimeError) -> IngestCheckpoint? {
        guard let c = checkpoints[source.path], c.source.fingerprint == source.fingerprint else { return nil }
        return c
    }

    public func forEachProfile(_ body: (UserProfile) throws(RuntimeError) -> Void) throws(RuntimeError) {
        for user in profiles.keys.sorted() {
            var p = profiles[user]!
            p.segment = members[user]
            try body(p)
        }
    }

    public func profileCount() throws(RuntimeError) -> Int { profiles.count }
    public func newestEventTime() throws(RuntimeError) -> Timestamp? { profiles.values.map(\.lastSeen).max() }

    public func saveSegmentation(_ segmentation: Segmentation, assignments: [(user: String, segment: Int32)]) throws(RuntimeError) {
        stored = segmentation
        members = Dictionary(assignments.map { ($0.user, $0.segment) }, uniquingKeysWith: { _, b in b })
    }

    public func segmentation() throws(RuntimeError) -> Segmentation? { stored }
    public func assignments() throws(RuntimeError) -> [String: Int32] { members }
}

extension InMemoryProfileStore: EventLog {
    public func append(_ events: [Event]) throws(RuntimeError) -> Int64 {
        if let e = failNextSave { failNextSave = nil; throw e }
        logSeq += 1
        log.append((logSeq, events))
        return logSeq
    }

    public func saveProfiles(_ batch: [UserProfile], appliedThrough seq: Int64) throws(RuntimeError) {
        try save(batch, checkpoint: nil)
        log.removeAll { $0.seq <= seq }
    }

    public func pending() throws(RuntimeError) -> [(seq: Int64, events: [Event])] { log }
}
