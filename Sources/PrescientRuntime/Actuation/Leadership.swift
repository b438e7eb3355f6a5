/// Whether this instance may act (plan and actuate) now: one planner at a time.
///
/// Implementation requirements: `mayAct` is true only while this instance's leadership cannot
/// have passed to another instance — for a lease-based election, until the time the last
/// accepted renewal was *sent* plus the lease TTL, less a margin — so two instances never act
/// in the same interval. It is cheap and never blocks (the control loop asks every step).
public protocol Leadership: Sendable {
    func mayAct(now: Double) -> Bool
}

/// A single instance: always the leader.
public struct SoleLeader: Leadership {
    public init() {}
    public func mayAct(now: Double) -> Bool { true }
}
