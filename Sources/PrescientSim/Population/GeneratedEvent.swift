import PrescientCore

/// One synthetic session, compact (the generator holds a day of them at a time).
public struct GeneratedEvent: Sendable, Equatable {
    /// Start, milliseconds since the epoch (UTC).
    public var timeMs: Int64
    public var bytes: Int64
    public var user: Int32
    /// Local day of the user the session belongs to (relative to the span start) and its number
    /// that day: together with the user they form the event id.
    public var localDay: Int16
    public var ordinal: UInt16
    public var durationSeconds: Float
    public var region: UInt8
    public var feature: UInt8
    public var device: DeviceClass
    public var segment: UInt8
}
