import PrescientCore

/// How far an ingest of one source got, stored with the profiles in the same transaction.
public struct IngestCheckpoint: Sendable, Equatable {
    public var source: SourceIdentity
    public var line: Int
    public init(source: SourceIdentity, line: Int) { self.source = source; self.line = line }
}

/// Durable home of user profiles, ingest checkpoints and the latest segmentation.
///
/// Implementation requirements (checked by `ProfileStoreConformance`, run against every store):
/// - `save` is atomic: the profiles and the checkpoint become visible together or not at all,
///   and survive a crash once it returns;
/// - `load` returns the stored profiles of the users asked for (absent users are left out), each
///   with `segment` set from the latest segmentation's assignment;
/// - a checkpoint is found only for the same path *and* fingerprint;
/// - `saveSegmentation` replaces the previous segmentation and all assignments atomically.
public protocol ProfileStore: AnyObject {
    /// Where the store is, for messages (a file path, a cluster and namespace).
    var location: String { get }
    func load(_ users: [String]) throws(RuntimeError) -> [String: UserProfile]
    func save(_ profiles: [UserProfile], checkpoint: IngestCheckpoint?) throws(RuntimeError)
    func checkpoint(for source: SourceIdentity) throws(RuntimeError) -> IngestCheckpoint?
    /// Calls `body` with every profile, in user order.
    func forEachProfile(_ body: (UserProfile) throws(RuntimeError) -> Void) throws(RuntimeError)
    func profileCount() throws(RuntimeError) -> Int
    /// Whether any profile is stored (a store that must count every key to answer `profileCount`
    /// stops at the first one).
    func hasProfiles() throws(RuntimeError) -> Bool
    /// The newest `lastSeen` of any saved profile ("now" in data time); nil when empty.
    func newestEventTime() throws(RuntimeError) -> Timestamp?
    func saveSegmentation(_ segmentation: Segmentation, assignments: [(user: String, segment: Int32)]) throws(RuntimeError)
    func segmentation() throws(RuntimeError) -> Segmentation?
    /// Every user's segment in the latest segmentation.
    func assignments() throws(RuntimeError) -> [String: Int32]
}

extension ProfileStore {
    public func hasProfiles() throws(RuntimeError) -> Bool { try profileCount() > 0 }

    public func profile(_ user: String) throws(RuntimeError) -> UserProfile? { try load([user])[user] }

    /// All profiles in user order.
    public func allProfiles() throws(RuntimeError) -> [UserProfile] {
        var out: [UserProfile] = []
        try forEachProfile { out.append($0) }
        return out
    }
}
