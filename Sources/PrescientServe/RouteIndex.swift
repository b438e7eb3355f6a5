import PrescientCore
import PrescientRuntime
import Synchronization

/// Where each user is now and usually, as region indices, for `/v1/route` without the store or
/// the ingest lock: the ingestor refreshes the users of every committed batch, a route reads one
/// entry (a lock held for a dictionary lookup). Two bytes of value per user.
public final class RouteIndex: Sendable {
    let regions: [String]
    private let entries = Mutex<[String: UInt16]>([:])
    private let warm = Atomic<Bool>(false)

    public init(regions: [String]) { self.regions = regions }

    /// Whether every profile of the store was loaded (`load(from:)`): then a user missing here has
    /// no profile, and a route need not ask the store.
    public var isComplete: Bool { warm.load(ordering: .acquiring) }

    /// Loads every profile's regions from the store (at start, before serving).
    public func load(from store: any ProfileStore) throws(RuntimeError) {
        var batch: [UserProfile] = []
        try store.forEachProfile { (p) throws(RuntimeError) in
            batch.append(p)
            if batch.count == 10_000 { update(batch); batch.removeAll(keepingCapacity: true) }
        }
        update(batch)
        warm.store(true, ordering: .releasing)
    }

    /// Records the users' current and usual regions from their profiles.
    public func update(_ profiles: [UserProfile]) {
        let packed = profiles.map { ($0.user, pack($0.currentRegion, $0.usualRegion)) }
        entries.withLock { e in for (user, v) in packed { e[user] = v } }
    }

    /// Remembers that the store has no profile for `user` (until a batch brings one), so asking
    /// again does not go back to the store.
    public func markUnknown(_ user: String) { entries.withLock { $0[user] = 0 } }

    /// nil for a user never seen by this index; (nil, nil) for one known to have no profile.
    public func lookup(_ user: String) -> (here: String?, usual: String?)? {
        guard let v = entries.withLock({ $0[user] }) else { return nil }
        let here = Int(v & 0xFF), usual = Int(v >> 8)
        return (here > 0 ? regions[here - 1] : nil, usual > 0 ? regions[usual - 1] : nil)
    }

    public var count: Int { entries.withLock { $0.count } }

    private func pack(_ here: String?, _ usual: String?) -> UInt16 {
        let h = here.flatMap { regions.firstIndex(of: $0) }.map { UInt16($0 + 1) } ?? 0
        let u = usual.flatMap { regions.firstIndex(of: $0) }.map { UInt16($0 + 1) } ?? 0
        return h | u << 8
    }
}
