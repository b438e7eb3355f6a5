import PrescientCore
import PrescientRuntime
import Synchronization

/// A clock that moves only when told to: tests advance it instead of sleeping.
public final class ManualClock: WallClock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp = Timestamp(seconds: 1_772_409_600)) { current = Mutex(start) }

    public func now() -> Timestamp { current.withLock { $0 } }

    public func advance(seconds: Double) { current.withLock { $0 = $0.adding(seconds: seconds) } }
}
