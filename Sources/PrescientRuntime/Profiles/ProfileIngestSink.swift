import CPrefetch
import PrescientCore

/// The event sink that keeps profiles: applies events with a `ProfileUpdater` to profiles held in
/// memory (loaded from the store on first touch), and saves the changed ones with the ingest
/// checkpoint in one store transaction per commit.
///
/// Profiles live in an array indexed through a user → slot table (`UserSlotTable`), so an update mutates its profile
/// in place (one hash lookup per event, no copies). Memory: every profile touched since the last
/// commit, plus clean ones up to `cacheLimit`.
public final class ProfileIngestSink: EventSink {
    public let store: any ProfileStore
    public let updater: ProfileUpdater
    public var cacheLimit: Int
    private var slotTable = UserSlotTable()
    private var profiles: [UserProfile] = []
    /// Profiles before this slot were in memory before the current batch.
    private var loadedCount = 0
    private var isDirty: [Bool] = []
    private var dirtySlots: [Int] = []
    /// Whether the store had no profiles when this sink started (then nothing needs loading).
    private var storeWasEmpty: Bool?
    public private(set) var applied = 0
    public private(set) var commits = 0
    /// Called after each commit with the position committed and the number of profiles saved.
    public var onCommit: (SourcePosition?, Int) -> Void = { _, _ in }

    public init(store: any ProfileStore, updater: ProfileUpdater, cacheLimit: Int = 2_000_000) {
        self.store = store; self.updater = updater; self.cacheLimit = cacheLimit
    }

    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int {
        try store.checkpoint(for: source)?.line ?? 0
    }

    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] {
        if storeWasEmpty == nil { storeWasEmpty = try !store.hasProfiles() }
        // Resolve every event's slot. A user not in memory gets a slot at once (a new profile);
        // when the store may know the user, those slots are then filled from one bulk load.
        let n = events.count
        let slots = resolveSlots(events)
        let missing = profiles[loadedCount...].map(\.user)
        loadedCount = profiles.count
        if !missing.isEmpty && storeWasEmpty != true {
            for (user, profile) in try store.load(missing) {
                if let s = slot(of: user, hash: UserSlotTable.hash(user)) { profiles[s] = profile }
            }
        }
        var verdicts: [SinkVerdict] = []
        // Updates hit profiles in random order: ask for each profile's memory a few events ahead
        // (its record first, then the arrays it points to), so the loads overlap instead of
        // stalling one after another.
        profiles.withUnsafeBufferPointer { buf in
            for i in 0..<min(n, Self.prefetchFar) { prescient_prefetch(buf.baseAddress! + slots[i]) }
        }
        for (i, e) in events.enumerated() {
            if i + Self.prefetchFar < n {
                profiles.withUnsafeBufferPointer { prescient_prefetch($0.baseAddress! + slots[i + Self.prefetchFar]) }
            }
            if i + Self.prefetchNear < n { prefetchArrays(of: slots[i + Self.prefetchNear], bin: updater.firstRhythmBin(of: events[i + Self.prefetchNear])) }
            let s = slots[i]
            switch updater.apply(e, to: &profiles[s]) {
            case .applied:
                applied += 1
                if !isDirty[s] { isDirty[s] = true; dirtySlots.append(s) }
            case .duplicate: verdicts.append(SinkVerdict(index: i, kind: .duplicate))
            case .late(let why): verdicts.append(SinkVerdict(index: i, kind: .late(why)))
            }
        }
        return verdicts
    }

    static let prefetchFar = 16
    static let prefetchNear = 6

    /// Each event's profile slot; a user not in memory gets a new profile at once (slots from
    /// `loadedCount` on), which the caller fills from the store when the store may know the user.
    /// Lookups are pipelined: every hash first, then each table entry is asked for `prefetchFar`
    /// events ahead and the record it points to `prefetchNear` ahead, so the key check finds both
    /// in cache.
    private func resolveSlots(_ events: [Event]) -> [Int] {
        let n = events.count
        let hashes = events.map { UserSlotTable.hash($0.user) }
        var slots = [Int](repeating: -1, count: n)
        for i in 0..<n {
            if i + Self.prefetchFar < n { slotTable.prefetch(hash: hashes[i + Self.prefetchFar]) }
            if i + Self.prefetchNear < n, let c = slotTable.candidate(hash: hashes[i + Self.prefetchNear]) {
                profiles.withUnsafeBufferPointer { prescient_prefetch($0.baseAddress! + c) }
            }
            let user = events[i].user
            if let s = slot(of: user, hash: hashes[i]) { slots[i] = s; continue }
            let s = profiles.count
            profiles.append(UserProfile(user: user, at: events[i].time))
            isDirty.append(false)
            slotTable.insert(hash: hashes[i], slot: s) { UserSlotTable.hash(profiles[$0].user) }
            slots[i] = s
        }
        return slots
    }

    /// Byte offsets, inside a `UserProfile`, of the array references the update touches.
    private static let arrayFields: [Int] = [
        rhythmField, MemoryLayout<UserProfile>.offset(of: \.devices)!,
        MemoryLayout<UserProfile>.offset(of: \.regions)!, MemoryLayout<UserProfile>.offset(of: \.features)!,
        MemoryLayout<UserProfile>.offset(of: \.recent)!,
    ]

    /// Prefetches the header and first elements of the profile's arrays, and the rhythm bin the
    /// event starts in. An `Array` is one
    /// reference to its buffer object; reading that word (not the array) costs no retain. The
    /// header (whose reference count every in-place mutation checks) is the buffer's first 32
    /// bytes on 64-bit platforms and the elements follow; a 16-byte-aligned buffer puts them on
    /// different cache lines half the time, so both are asked for. A wrong guess only wastes a
    /// prefetch.
    @inline(__always)
    private func prefetchArrays(of s: Int, bin: Int) {
        profiles.withUnsafeBufferPointer { buf in
            let record = UnsafeRawPointer(buf.baseAddress! + s)
            for offset in Self.arrayFields {
                let storage = record.load(fromByteOffset: offset, as: UnsafeRawPointer.self)
                prescient_prefetch(storage)
                prescient_prefetch(storage + 32)
            }
            let rhythm = record.load(fromByteOffset: Self.rhythmField, as: UnsafeRawPointer.self)
            prescient_prefetch(rhythm + 32 + bin * MemoryLayout<Float>.stride)
        }
    }

    private static let rhythmField = MemoryLayout<UserProfile>.offset(of: \.rhythm)!

    public func commit(through position: SourcePosition?) throws(RuntimeError) {
        // Never-applied new users (their only event was late) have no events: nothing to save.
        let changed = dirtySlots.sorted { profiles[$0].user < profiles[$1].user }.map { profiles[$0] }.filter { $0.events > 0 }
        try store.save(changed, checkpoint: position.map { IngestCheckpoint(source: $0.source, line: $0.line) })
        for s in dirtySlots { isDirty[s] = false }
        dirtySlots.removeAll(keepingCapacity: true)
        commits += 1
        if profiles.count > cacheLimit { forgetAll() }
        onCommit(position, changed.count)
    }

    /// Bytes of the user → slot table (8 per entry, at most half of them used).
    public var slotTableBytes: Int { slotTable.capacity * MemoryLayout<UInt64>.stride }

    /// Profiles changed since the last commit.
    public var dirtyCount: Int { dirtySlots.count }

    /// Saves every changed profile through `log` and drops the log's batches up to `seq` (which
    /// those profiles now hold), in one transaction.
    public func commitProfiles(appliedThrough seq: Int64, log: any EventLog) throws(RuntimeError) {
        let changed = dirtySlots.sorted { profiles[$0].user < profiles[$1].user }.map { profiles[$0] }.filter { $0.events > 0 }
        try log.saveProfiles(changed, appliedThrough: seq)
        for s in dirtySlots { isDirty[s] = false }
        dirtySlots.removeAll(keepingCapacity: true)
        commits += 1
        if profiles.count > cacheLimit { forgetAll() }
        onCommit(nil, changed.count)
    }

    public func finish() throws(RuntimeError) {}

    public func abort() {
        // Forget uncommitted changes: profiles are reloaded from the store on next touch.
        forgetAll()
    }

    private func forgetAll() {
        slotTable.removeAll()
        loadedCount = 0
        profiles.removeAll(keepingCapacity: false)
        isDirty.removeAll(keepingCapacity: false)
        dirtySlots.removeAll()
        storeWasEmpty = nil
    }

    /// A profile as this sink currently sees it (committed or not).
    public func profile(_ user: String) -> UserProfile? {
        slot(of: user, hash: UserSlotTable.hash(user)).map { profiles[$0] }
    }

    /// The slot holding `user`'s profile (`hash` = `UserSlotTable.hash(user)`), if in memory.
    @inline(__always)
    private func slot(of user: String, hash: UInt64) -> Int? {
        slotTable.find(hash: hash) { profiles[$0].user == user }
    }
}
