import PrescientCore

/// The event sink that keeps profiles: applies events with a `ProfileUpdater` to profiles held in
/// memory (loaded from the store on first touch), and saves the changed ones with the ingest
/// checkpoint in one store transaction per commit.
///
/// Memory: every profile touched since the last commit, plus clean ones up to `cacheLimit`.
public final class ProfileIngestSink: EventSink {
    public let store: any ProfileStore
    public let updater: ProfileUpdater
    public var cacheLimit: Int
    private var cache: [String: UserProfile] = [:]
    private var dirty = Set<String>()
    public private(set) var applied = 0
    public private(set) var commits = 0
    /// Called after each commit with the position committed (for progress and tests).
    public var onCommit: (SourcePosition?, Int) -> Void = { _, _ in }

    public init(store: any ProfileStore, updater: ProfileUpdater, cacheLimit: Int = 2_000_000) {
        self.store = store; self.updater = updater; self.cacheLimit = cacheLimit
    }

    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int {
        try store.checkpoint(for: source)?.line ?? 0
    }

    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] {
        // Load, in one query, the users of this batch not in memory yet.
        var missing: [String] = []
        var seen = Set<String>()
        for e in events where cache[e.user] == nil && seen.insert(e.user).inserted { missing.append(e.user) }
        if !missing.isEmpty {
            for (user, profile) in try store.load(missing) { cache[user] = profile }
        }
        var verdicts: [SinkVerdict] = []
        for (i, e) in events.enumerated() {
            let outcome = updater.apply(e, to: &cache[e.user, default: UserProfile(user: e.user, at: e.time)])
            switch outcome {
            case .applied: applied += 1; dirty.insert(e.user)
            case .duplicate: verdicts.append(SinkVerdict(index: i, kind: .duplicate))
            case .late(let why): verdicts.append(SinkVerdict(index: i, kind: .late(why)))
            }
            // A first event that was not applied leaves an empty profile behind: drop it.
            if outcome != .applied, let p = cache[e.user], p.events == 0 { cache[e.user] = nil }
        }
        return verdicts
    }

    public func commit(through position: SourcePosition?) throws(RuntimeError) {
        let changed = dirty.sorted().compactMap { cache[$0] }
        try store.save(changed, checkpoint: position.map { IngestCheckpoint(source: $0.source, line: $0.line) })
        dirty.removeAll(keepingCapacity: true)
        commits += 1
        if cache.count > cacheLimit { cache.removeAll(keepingCapacity: false) }
        onCommit(position, changed.count)
    }

    public func finish() throws(RuntimeError) {}

    public func abort() {
        // Forget uncommitted changes: reload from the store on next touch.
        for user in dirty { cache[user] = nil }
        dirty.removeAll()
    }

    /// A profile as this sink currently sees it (committed or not).
    public func profile(_ user: String) -> UserProfile? { cache[user] }
}
