/// UTC offsets of each region's time zone over time, as a table of transitions, so pure code can
/// convert instants to the region's local time (DST included) without reading tz data.
public struct RegionOffsets: Sendable, Equatable {
    /// Per region: transitions (instant in ms, offset in seconds from then on), sorted by instant.
    public var transitions: [String: [(at: Int64, offset: Int32)]]

    public init(transitions: [String: [(at: Int64, offset: Int32)]]) { self.transitions = transitions }

    /// Every region at UTC.
    public static let utc = RegionOffsets(transitions: [:])

    /// Seconds east of UTC in `region` at `t` (0 for a region without a table).
    @inline(__always)
    public func offsetSeconds(region: String, at t: Timestamp) -> Int {
        guard let list = transitions[region] else { return 0 }
        return Self.offset(in: list, at: t)
    }

    /// The offset in force at `t` in a transition list.
    @inline(__always)
    public static func offset(in list: [(at: Int64, offset: Int32)], at t: Timestamp) -> Int {
        guard !list.isEmpty else { return 0 }
        // Binary search for the last transition at or before t.
        var lo = 0, hi = list.count - 1
        if t.milliseconds < list[0].at { return Int(list[0].offset) }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if list[mid].at <= t.milliseconds { lo = mid } else { hi = mid - 1 }
        }
        return Int(list[lo].offset)
    }

    public static func == (a: RegionOffsets, b: RegionOffsets) -> Bool {
        a.transitions.keys.sorted() == b.transitions.keys.sorted() && a.transitions.allSatisfy { k, v in
            guard let w = b.transitions[k], w.count == v.count else { return false }
            return zip(v, w).allSatisfy { $0.at == $1.at && $0.offset == $1.offset }
        }
    }
}
