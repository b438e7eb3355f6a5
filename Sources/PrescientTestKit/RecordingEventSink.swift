import PrescientCore
import PrescientRuntime

/// An event sink that keeps committed events in memory and records aborts, with the same
/// all-or-nothing contract as a real sink: nothing is visible before `commit`.
public final class RecordingEventSink: EventSink {
    public private(set) var committed: [Event] = []
    private var pending: [Event] = []
    public private(set) var commits = 0
    public private(set) var aborts = 0

    public init() {}

    public func write(_ events: [Event]) throws(RuntimeError) { pending.append(contentsOf: events) }
    public func commit() throws(RuntimeError) { committed.append(contentsOf: pending); pending.removeAll(); commits += 1 }
    public func abort() { pending.removeAll(); aborts += 1 }
}
