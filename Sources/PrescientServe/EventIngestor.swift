import PrescientCore
import PrescientRuntime
import Synchronization

/// `POST /v1/events`: decodes a batch (in parallel, on the caller's thread), applies it to the
/// profiles and makes it durable before answering — an acknowledged event is never lost. With a
/// store that keeps an `EventLog` (SQLite), durable means appended to the log (one sequential
/// write per batch); the changed profiles are saved every `checkpointSeconds` with the log trimmed
/// in the same transaction, and `recover` replays what a crash left in the log. Without one,
/// every batch commits its profiles.
///
/// - A batch with a bad record is refused whole (400, every bad record's number and reason,
///   nothing applied); with `partial`, the good records are applied and the bad ones listed.
/// - More than `maxBatch` records: 400. More than `queue` requests waiting for the store: 429 with
///   Retry-After (back-pressure instead of an unbounded queue).
/// - A failed commit: the uncommitted changes are forgotten (profiles reload from the store) and
///   the request gets 503; nothing of it is acknowledged.
/// The store and the profile sink are used under one lock (SQLite statements are not shared
/// across threads); every read of them (`withStore`) takes the same lock.
public final class EventIngestor: Sendable {
    public struct Limits: Sendable {
        public var maxBatch: Int
        public var queue: Int
        /// With an event log: seconds between profile checkpoints, and changed profiles that force one.
        public var checkpointSeconds: Double
        public var checkpointProfiles: Int
        public init(maxBatch: Int = 100_000, queue: Int = 16, checkpointSeconds: Double = 10, checkpointProfiles: Int = 200_000) {
            self.maxBatch = maxBatch; self.queue = queue; self.checkpointSeconds = checkpointSeconds; self.checkpointProfiles = checkpointProfiles
        }
    }

    /// What a POST did, for the response body.
    public struct Outcome: Sendable {
        public var status: Int
        public var accepted = 0, duplicates = 0
        public var late: [(number: Int, reason: String)] = []
        public var rejected: [(number: Int, field: String, reason: String)] = []
        public var error: String?
        public var retryAfterSeconds: Int?
    }

    /// The sink and its store, touched only under `lock`.
    final class Guarded: @unchecked Sendable {
        let sink: ProfileIngestSink
        let observers: [any EventSink]
        /// The store's event log, when it has one: batches are then acknowledged once appended
        /// and profiles saved every `checkpointSeconds` (or `checkpointProfiles` changed).
        let log: (any EventLog)?
        var lastSeq: Int64 = 0
        var lastCheckpoint: Double = 0
        init(sink: ProfileIngestSink, observers: [any EventSink]) {
            self.sink = sink; self.observers = observers
            log = sink.store as? any EventLog
        }
    }


    let limits: Limits
    let metrics: MetricsRegistry
    /// Refreshed with the users of every committed batch (for `/v1/route`).
    public let routes: RouteIndex?
    private let guarded: Mutex<Guarded>
    private let decoders: Mutex<[EventBatchDecoder]>
    private let prototype: EventBatchDecoder
    private let waiting = Atomic<Int>(0)

    /// `observers` see every applied batch too (the control loop's demand), under the same lock.
    public init(sink: ProfileIngestSink, decoder: EventBatchDecoder, metrics: MetricsRegistry, limits: Limits = Limits(),
                observers: [any EventSink] = [], routes: RouteIndex? = nil) {
        self.limits = limits; self.metrics = metrics; prototype = decoder; self.routes = routes
        guarded = Mutex(Guarded(sink: sink, observers: observers))
        decoders = Mutex([])
        metrics.declare("prescient_events_total", .counter, help: "Events posted to /v1/events, by outcome (accepted, duplicate, late, rejected).")
        metrics.declare("prescient_events_rejected_total", .counter, help: "Rejected events by the field at fault.")
        metrics.declare("prescient_ingest_seconds", .histogram, help: "Time to decode, apply and commit one POST /v1/events, seconds.",
                        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
        metrics.declare("prescient_ingest_queue_full_total", .counter, help: "POSTs refused with 429 because the ingest queue was full.")
        metrics.declare("prescient_store_errors_total", .counter, help: "Store operations that failed, by operation.")
        metrics.declare("prescient_profile_checkpoints_total", .counter, help: "Profile checkpoints (changed profiles saved, event log trimmed).")
    }

    public func ingest(_ body: [UInt8], partial: Bool, now: () -> Double) -> Outcome {
        let started = now()
        guard waiting.add(1, ordering: .acquiringAndReleasing).newValue <= limits.queue else {
            waiting.subtract(1, ordering: .acquiringAndReleasing)
            metrics.add("prescient_ingest_queue_full_total")
            return Outcome(status: 429, error: "ingest queue full (\(limits.queue) requests waiting); retry", retryAfterSeconds: 1)
        }
        defer { waiting.subtract(1, ordering: .acquiringAndReleasing) }
        var decoder = decoders.withLock { $0.popLast() } ?? prototype
        let batch = decoder.decode(body)
        decoders.withLock { $0.append(decoder) }

        var out = Outcome(status: 200)
        out.rejected = batch.rejections.map { ($0.number, $0.error.field, $0.error.reason) }
        for r in batch.rejections { metrics.add("prescient_events_rejected_total", [("field", r.error.field)]) }
        metrics.add("prescient_events_total", [("outcome", "rejected")], Double(batch.rejections.count))
        if batch.records > limits.maxBatch {
            out.status = 400
            out.error = "\(batch.records) records in one batch; the limit is \(limits.maxBatch)"
            out.rejected = []
            return out
        }
        if !batch.rejections.isEmpty && !partial {
            out.status = 400
            out.error = "\(batch.rejections.count) of \(batch.records) records are bad; nothing applied (add ?partial=true to apply the good ones)"
            return out
        }
        guard !batch.events.isEmpty else {
            metrics.observe("prescient_ingest_seconds", [], now() - started)
            return out
        }
        do throws(RuntimeError) {
            try guarded.withLock { (g: inout Guarded) throws(RuntimeError) in
                let verdicts = try g.sink.write(batch.events)
                var skipped = Set<Int>()
                for v in verdicts {
                    skipped.insert(v.index)
                    switch v.kind {
                    case .duplicate: out.duplicates += 1
                    case .late(let why): out.late.append((batch.numbers[v.index], why))
                    }
                }
                let applied = skipped.isEmpty ? batch.events : batch.events.indices.filter { !skipped.contains($0) }.map { batch.events[$0] }
                if let log = g.log {
                    // Durable once appended: the profiles follow at the next checkpoint.
                    if !applied.isEmpty { g.lastSeq = try log.append(applied) }
                    let t = now()
                    if t - g.lastCheckpoint >= limits.checkpointSeconds || g.sink.dirtyCount >= limits.checkpointProfiles {
                        try g.sink.commitProfiles(appliedThrough: g.lastSeq, log: log)
                        g.lastCheckpoint = t
                        metrics.add("prescient_profile_checkpoints_total")
                    }
                } else {
                    try g.sink.commit(through: nil)
                }
                for o in g.observers { _ = try? o.write(applied) }
                out.accepted = batch.events.count - skipped.count
                refreshRoutes(batch.events, g.sink)
            }
        } catch {
            // Forget what is not durable; with a log, the acknowledged batches are replayed back.
            guarded.withLock { g in
                g.sink.abort()
                _ = try? replayLog(&g)
            }
            metrics.add("prescient_store_errors_total", [("operation", "commit")])
            return Outcome(status: 503, error: "store: \(error.message); nothing of this batch was applied", retryAfterSeconds: 1)
        }
        metrics.add("prescient_events_total", [("outcome", "accepted")], Double(out.accepted))
        metrics.add("prescient_events_total", [("outcome", "duplicate")], Double(out.duplicates))
        metrics.add("prescient_events_total", [("outcome", "late")], Double(out.late.count))
        metrics.observe("prescient_ingest_seconds", [], now() - started)
        return out
    }

    /// At start: applies the batches the log holds beyond the saved profiles (acknowledged before a
    /// crash) and checkpoints them. Returns how many events were replayed.
    public func recover(now: () -> Double) throws(RuntimeError) -> Int {
        try guarded.withLock { (g: inout Guarded) throws(RuntimeError) -> Int in
            let n = try replayLog(&g)
            if let log = g.log, n > 0 {
                try g.sink.commitProfiles(appliedThrough: g.lastSeq, log: log)
            }
            g.lastCheckpoint = now()
            return n
        }
    }

    /// Re-applies the log's pending batches to the sink and the observers (the route index too).
    private func replayLog(_ g: inout Guarded) throws(RuntimeError) -> Int {
        guard let log = g.log else { return 0 }
        var n = 0
        for (seq, events) in try log.pending() {
            _ = try g.sink.write(events)
            for o in g.observers { _ = try? o.write(events) }
            refreshRoutes(events, g.sink)
            g.lastSeq = max(g.lastSeq, seq)
            n += events.count
        }
        return n
    }

    /// Saves every changed profile now (at shutdown), so the log is empty for the next start.
    public func checkpoint() throws(RuntimeError) {
        try guarded.withLock { (g: inout Guarded) throws(RuntimeError) in
            if let log = g.log { try g.sink.commitProfiles(appliedThrough: g.lastSeq, log: log) }
        }
    }

    /// Refreshes the route index with the current profiles of the batch's users (under the lock).
    private func refreshRoutes(_ events: [Event], _ sink: ProfileIngestSink) {
        guard let routes else { return }
        var seen = Set<String>()
        routes.update(events.compactMap { seen.insert($0.user).inserted ? sink.profile($0.user) : nil })
    }

    /// A user's profile as applied (committed or not), else as stored; nil for an unknown user.
    public func profile(_ user: String) throws(RuntimeError) -> UserProfile? {
        try withStore { (sink) throws(RuntimeError) -> UserProfile? in
            if let inMemory = sink.profile(user) { return inMemory }
            return try sink.store.profile(user)
        }
    }

    /// Runs `body` with the sink (profiles as applied, committed or not) and its store, under the lock.
    public func withStore<T>(_ body: (ProfileIngestSink) throws(RuntimeError) -> T) throws(RuntimeError) -> T {
        try guarded.withLock { (g: inout Guarded) throws(RuntimeError) -> T in try body(g.sink) }
    }
}

extension EventIngestor.Outcome {
    /// The response body: counts, then each late and bad record with its number and reason.
    public var json: String {
        var out: [UInt8] = []
        out.append(contentsOf: "{\"accepted\":\(accepted),\"duplicates\":\(duplicates)".utf8)
        if let error { out.append(contentsOf: ",\"error\":".utf8); JSONEscapes.appendQuoted(error, to: &out) }
        out.append(contentsOf: ",\"late\":[".utf8)
        for (i, l) in late.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"line\":\(l.number),\"reason\":".utf8); JSONEscapes.appendQuoted(l.reason, to: &out); out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "],\"rejected\":[".utf8)
        for (i, r) in rejected.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"line\":\(r.number),\"field\":".utf8); JSONEscapes.appendQuoted(r.field, to: &out)
            out.append(contentsOf: ",\"reason\":".utf8); JSONEscapes.appendQuoted(r.reason, to: &out); out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
