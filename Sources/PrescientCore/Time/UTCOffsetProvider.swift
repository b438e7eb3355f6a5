/// Tells how far a local wall-clock time is ahead of UTC, for timestamps written without an offset.
///
/// Implementation requirements: pure and thread-safe; for a local time that falls in a DST gap or
/// overlap, return the offset in force just before the transition (what most tz libraries do).
public protocol UTCOffsetProvider: Sendable {
    /// Seconds east of UTC in force at the local civil time `local`.
    func utcOffsetSeconds(atLocal local: CivilTime) -> Int
}

/// A constant offset (UTC itself is `FixedUTCOffset(seconds: 0)`).
public struct FixedUTCOffset: UTCOffsetProvider, Hashable {
    public var seconds: Int
    public init(seconds: Int) { self.seconds = seconds }
    public static let utc = FixedUTCOffset(seconds: 0)
    public func utcOffsetSeconds(atLocal local: CivilTime) -> Int { seconds }
}
