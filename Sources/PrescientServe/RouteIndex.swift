import PrescientCore
import PrescientRuntime
import Synchronization

/// Where each user is now and usually (region indices) and their segment, for `/v1/route`, the
/// load balancer's map and the content counts, without the store or the ingest lock: the
/// ingestor refreshes the users of every committed batch, a route reads one entry (a lock held
/// for a dictionary lookup). Four bytes of value per user.
public final class RouteIndex: Sendable {
    let regions: [String]
    /// Packed: bits 0–7 region now + 1, bits 8–15 usual region + 1, bits 16–31 segment + 1 (0 = none).
    private let entries = Mutex<[String: UInt32]>([:])
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

    /// Records the users' current and usual regions and segments from their profiles.
    public func update(_ profiles: [UserProfile]) {
        let packed = profiles.map { ($0.user, pack($0.currentRegion, $0.usualRegion, $0.segment)) }
        entries.withLock { e in for (user, v) in packed { e[user] = v } }
    }

    /// Remembers that the store has no profile for `user` (until a batch brings one), so asking
    /// again does not go back to the store.
    public func markUnknown(_ user: String) { entries.withLock { $0[user] = 0 } }

    /// nil for a user never seen by this index; (nil, nil) for one known to have no profile.
    public func lookup(_ user: String) -> (here: String?, usual: String?)? {
        guard let v = entries.withLock({ $0[user] }) else { return nil }
        let here = Int(v & 0xFF), usual = Int(v >> 8 & 0xFF)
        return (here > 0 ? regions[here - 1] : nil, usual > 0 ? regions[usual - 1] : nil)
    }

    /// The user's segment, when the index knows it.
    public func segment(_ user: String) -> Int? {
        guard let v = entries.withLock({ $0[user] }), v >> 16 > 0 else { return nil }
        return Int(v >> 16) - 1
    }

    /// Every known user with a region and the index of their home region (where they are now,
    /// else their usual region: `RoutingPlan.home`'s order), sorted by user.
    public func homes() -> [(user: String, home: Int)] {
        let all = entries.withLock { Array($0) }
        var out: [(user: String, home: Int)] = []
        out.reserveCapacity(all.count)
        for (user, v) in all where v & 0xFFFF != 0 {
            let here = Int(v & 0xFF), usual = Int(v >> 8 & 0xFF)
            out.append((user, here > 0 ? here - 1 : usual - 1))   // one of them is set (filtered above)
        }
        out.sort { $0.user < $1.user }
        return out
    }

    public var count: Int { entries.withLock { $0.count } }

    private func pack(_ here: String?, _ usual: String?, _ segment: Int32?) -> UInt32 {
        let h = here.flatMap { regions.firstIndex(of: $0) }.map { UInt32($0 + 1) } ?? 0
        let u = usual.flatMap { regions.firstIndex(of: $0) }.map { UInt32($0 + 1) } ?? 0
        let s = segment.map { UInt32(min(0xFFFE, max(0, Int($0)))) + 1 } ?? 0
        return h | u << 8 | s << 16
    }
}
