import PrescientCore

/// Writes accepted events as canonical JSON Lines to a file that appears only on commit.
public final class JSONLinesEventSink: EventSink {
    private let writer: AtomicFileWriter
    public private(set) var count = 0

    public init(path: String) throws(RuntimeError) { writer = try AtomicFileWriter(path: path) }

    public func write(_ events: [Event]) throws(RuntimeError) {
        try writer.append { out in for e in events { e.appendJSONLine(to: &out) } }
        count += events.count
    }

    public func commit() throws(RuntimeError) { try writer.commit() }
    public func abort() { writer.abort() }
}
