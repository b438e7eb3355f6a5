import PrescientCore

/// Writes accepted events as canonical JSON Lines to a file that appears, whole, when the run
/// finishes (it never resumes: a re-run rewrites it).
public final class JSONLinesEventSink: EventSink {
    private let writer: AtomicFileWriter
    public private(set) var count = 0

    public init(path: String) throws(RuntimeError) { writer = try AtomicFileWriter(path: path) }

    public func resumeLine(for source: SourceIdentity) throws(RuntimeError) -> Int { 0 }

    public func write(_ events: [Event]) throws(RuntimeError) -> [SinkVerdict] {
        try writer.append { out in for e in events { e.appendJSONLine(to: &out) } }
        count += events.count
        return []
    }

    public func commit(through position: SourcePosition?) throws(RuntimeError) { try writer.flush() }
    public func finish() throws(RuntimeError) { try writer.commit() }
    public func abort() { writer.abort() }
}
