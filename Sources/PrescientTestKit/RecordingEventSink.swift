import PrescientCore
import PrescientRuntime

/// An event sink that keeps committed events in memory and records commits, with the same
/// contract as a real sink: nothing is visible before `commit`, and it resumes from its last
/// committed position like a durable sink would.
public final class RecordingEventSink: EventSink {
    public private(set) var committed: [Event] = []
    private var pending: [Event] = []
    public private(set) var positions: [SourcePosition?] = []
    public private(set) var aborts = 0
    public private(set) var finished = false
    private var resume: [SourceIdentity: Int] = [:]

    public init() {}

    public var commits: Int { positions.count }

    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int { resume[source] ?? 0 }
    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] { pending.append(contentsOf: events); return [] }
    public func commit(through position: SourcePosition?) throws(RuntimeError) {
        committed.append(contentsOf: pending)
        pending.removeAll()
        positions.append(position)
        if let p = position { resume[p.source] = p.line }
    }
    public func finish() throws(RuntimeError) { finished = true }
    public func abort() { pending.removeAll(); aborts += 1 }
}
