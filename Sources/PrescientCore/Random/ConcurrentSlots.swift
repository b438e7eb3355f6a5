import Synchronization

/// Fixed slots filled by concurrent workers, each slot by exactly one worker, read after all have
/// finished. Results are combined in slot order, so parallel work stays deterministic.
public final class ConcurrentSlots<T: Sendable>: Sendable {
    private let storage: Mutex<[T]>
    public init(count: Int, initial: T) { storage = Mutex([T](repeating: initial, count: count)) }
    public func set(_ i: Int, _ value: T) { storage.withLock { $0[i] = value } }
    public var values: [T] { storage.withLock { $0 } }
}
