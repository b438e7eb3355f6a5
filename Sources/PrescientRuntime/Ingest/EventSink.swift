import PrescientCore

/// Which input a checkpoint belongs to: the file's absolute path and a fingerprint of its first
/// line, so a rotated or rewritten file at the same path is not mistaken for the old one.
public struct SourceIdentity: Sendable, Hashable {
    public var path: String
    public var fingerprint: UInt64
    public init(path: String, fingerprint: UInt64) { self.path = path; self.fingerprint = fingerprint }
}

/// How far into a source everything is applied.
public struct SourcePosition: Sendable, Hashable {
    public var source: SourceIdentity
    /// The last physical line whose records are applied.
    public var line: Int
    public init(source: SourceIdentity, line: Int) { self.source = source; self.line = line }
}

/// What a sink did not apply from a batch (everything else was applied).
public struct SinkVerdict: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The event was applied before (re-delivered): skipped, not an error.
        case duplicate
        /// Too old to merge: reported and counted as a rejection.
        case late(String)
    }
    /// Index of the event in the batch.
    public var index: Int
    public var kind: Kind
    public init(index: Int, kind: Kind) { self.index = index; self.kind = kind }
}

/// Where accepted events go: a JSON Lines file, or the profile store.
///
/// Implementation requirements: nothing written is durable before `commit` returns, and `commit`
/// returning is the acknowledgement: after a crash, a sink reports through `resumeLine` the last
/// line it committed for a source, and a re-run skips up to it, so every event is applied exactly
/// once. `abort` discards everything since the last commit. `finish` is called once, after the
/// last commit of a successful run.
public protocol EventSink: AnyObject {
    /// The last line of `source` committed by an earlier run (0: none).
    func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int
    /// Applies (or buffers) a batch; returns what it did not apply.
    func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict]
    /// Makes everything written so far durable, together with how far `position` says it reaches.
    func commit(through position: SourcePosition?) throws(RuntimeError)
    func finish() throws(RuntimeError)
    func abort()
}

/// Discards events (validation only).
public final class DiscardingEventSink: EventSink {
    public private(set) var count = 0
    public init() {}
    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int { 0 }
    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] { count += events.count; return [] }
    public func commit(through position: SourcePosition?) throws(RuntimeError) {}
    public func finish() throws(RuntimeError) {}
    public func abort() {}
}

/// Turns events into per-region, per-minute demand (`DemandTraceBuilder`), for replays.
/// Hands every applied batch to a closure (an observer of what the real sink applied: the
/// control loop's demand, the warmer's content counts); keeps no position of its own.
public final class ObservingEventSink: EventSink {
    let observe: ([Event]) -> Void
    public init(_ observe: @escaping ([Event]) -> Void) { self.observe = observe }
    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int { 0 }
    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] { observe(events); return [] }
    public func commit(through position: SourcePosition?) throws(RuntimeError) {}
    public func finish() throws(RuntimeError) {}
    public func abort() {}
}
