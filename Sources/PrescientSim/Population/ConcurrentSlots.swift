import Synchronization

/// Fixed slots filled by concurrent workers, each slot by exactly one worker.
final class ConcurrentSlots<T: Sendable>: Sendable {
    private let storage: Mutex<[T]>
    init(count: Int, initial: T) { storage = Mutex([T](repeating: initial, count: count)) }
    func set(_ i: Int, _ value: T) { storage.withLock { $0[i] = value } }
    var values: [T] { storage.withLock { $0 } }
}
