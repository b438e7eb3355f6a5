import Foundation
import PrescientCore

/// UTC offsets from the system's tz database (through Foundation), for the pure core that cannot
/// read it. DST is honoured: the offset is the one in force at the instant asked about.
public struct TimeZoneTable: Sendable {
    public init() {}

    /// Seconds east of UTC of `identifier` at `instant`; 0 for an unknown zone.
    public func offsetSeconds(_ identifier: String, at instant: Timestamp) -> Int {
        guard let tz = TimeZone(identifier: identifier) else { return 0 }
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.milliseconds) / 1000))
    }

    /// An offset provider for timestamps written without an offset, in zone `identifier`.
    public func provider(_ identifier: String) -> (any UTCOffsetProvider)? {
        if identifier == "UTC" { return FixedUTCOffset.utc }
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        return ZoneOffset(zone: tz)
    }

    struct ZoneOffset: UTCOffsetProvider {
        let zone: TimeZone
        func utcOffsetSeconds(atLocal local: CivilTime) -> Int {
            // Read the local time as UTC, then correct twice: exact except inside DST transitions.
            let asUTC = Double(local.epochMilliseconds(utcOffsetSeconds: 0)) / 1000
            let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: asUTC))
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: asUTC - Double(first)))
        }
    }
}

extension TimeZoneTable {
    /// Each region's UTC offsets from 1970 to 2100 as transitions, for the pure core.
    public func regionOffsets(_ regions: [RegionSpec]) -> RegionOffsets {
        var table: [String: [(at: Int64, offset: Int32)]] = [:]
        let end = Date(timeIntervalSince1970: 4_102_444_800)
        for r in regions {
            guard let tz = TimeZone(identifier: r.timeZone) else { continue }
            var at = Date(timeIntervalSince1970: 0)
            var list: [(at: Int64, offset: Int32)] = [(0, Int32(tz.secondsFromGMT(for: at)))]
            while let next = tz.nextDaylightSavingTimeTransition(after: at), next < end {
                list.append((Int64(next.timeIntervalSince1970 * 1000), Int32(tz.secondsFromGMT(for: next))))
                at = next
            }
            table[r.name] = list
        }
        return RegionOffsets(transitions: table)
    }
}
