import Dispatch
import PrescientCore
import Synchronization

/// Applies batches to a sink on a thread of its own, so parsing the next batch overlaps applying
/// the previous one (two cores: parse ‖ profile updates and store writes).
///
/// At most `depth` batches wait; `submit` blocks beyond that (back-pressure). `drain` waits until
/// every submitted batch is applied and returns what the sink did not apply, with each event's
/// line. A sink error is rethrown by the next `submit` or `drain`. The sink is only ever touched
/// by one thread at a time: the worker between `submit` and `drain`, the caller after `drain`.
final class SinkWorker: @unchecked Sendable {
    // @unchecked: `sink` is used by the queue's thread while batches are in flight and by the
    // caller only after `drain` has waited for them (the semaphore orders the accesses).
    private let sink: EventSink
    private let queue = DispatchQueue(label: "prescient.ingest.sink")
    private let slots: DispatchSemaphore
    private let depth: Int
    private let state = Mutex<(verdicts: [(line: Int, kind: SinkVerdict.Kind)], error: RuntimeError?)>(([], nil))

    init(sink: EventSink, depth: Int = 2) {
        self.sink = sink
        self.depth = depth
        slots = DispatchSemaphore(value: depth)
    }

    func submit(_ events: [Event], lines: [Int]) throws(RuntimeError) {
        if let e = state.withLock({ $0.error }) { throw e }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard state.withLock({ $0.error == nil }) else { return }
            do throws(RuntimeError) {
                let verdicts = try sink.write(events)
                if !verdicts.isEmpty {
                    let mapped = verdicts.map { (line: lines[$0.index], kind: $0.kind) }
                    state.withLock { $0.verdicts.append(contentsOf: mapped) }
                }
            } catch {
                state.withLock { $0.error = error }
            }
        }
    }

    /// Commits on the worker, after every batch submitted before (parsing goes on meanwhile).
    func commit(through position: SourcePosition?) throws(RuntimeError) {
        if let e = state.withLock({ $0.error }) { throw e }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard state.withLock({ $0.error == nil }) else { return }
            do throws(RuntimeError) { try sink.commit(through: position) } catch { state.withLock { $0.error = error } }
        }
    }

    /// Waits for every submitted batch and commit; returns (and forgets) the verdicts collected so far.
    func drain() throws(RuntimeError) -> [(line: Int, kind: SinkVerdict.Kind)] {
        for _ in 0..<depth { slots.wait() }
        for _ in 0..<depth { slots.signal() }
        let (verdicts, error) = state.withLock { s -> ([(line: Int, kind: SinkVerdict.Kind)], RuntimeError?) in
            let v = s.verdicts
            s.verdicts = []
            return (v, s.error)
        }
        if let error { throw error }
        return verdicts
    }
}
