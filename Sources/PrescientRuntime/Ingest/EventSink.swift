import PrescientCore

/// Where accepted events go: a file now, the profile store later.
///
/// Implementation requirements: `write` may buffer; nothing written is visible to readers until
/// `commit` returns, and `abort` discards everything since the last commit, so an interrupted or
/// strict-failed ingest never half-applies. `commit` returning is the acknowledgement.
public protocol EventSink: AnyObject {
    func write(_ events: [Event]) throws(RuntimeError)
    func commit() throws(RuntimeError)
    func abort()
}

/// Discards events (validation only).
public final class DiscardingEventSink: EventSink {
    public private(set) var count = 0
    public init() {}
    public func write(_ events: [Event]) throws(RuntimeError) { count += events.count }
    public func commit() throws(RuntimeError) {}
    public func abort() {}
}
