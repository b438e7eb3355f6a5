/// What a person needs to know about one segment, and what the planner needs from it.
public struct SegmentSummary: Sendable, Equatable, Codable {
    /// Stable identity across re-runs (see `Segmenter`).
    public var id: Int32
    public var size: Int
    /// The segment's centre in its `BehaviourSpace`.
    public var centroid: [Float]
    /// Share of the segment's activity per local hour of the week (168, sums to 1).
    public var rhythm: [Float]
    /// Share of activity on Saturday and Sunday.
    public var weekendShare: Double
    /// The three busiest local hours of a weekday, busiest first.
    public var peakHours: [Int]
    /// Top regions, features and devices with their share of the segment's activity.
    public var topRegions: [Share]
    public var topFeatures: [Share]
    public var topDevices: [Share]
    /// Activity-weighted mean cost per active minute.
    public var cpuMillicores: Double
    public var memoryMiB: Double
    public var networkKbps: Double
    /// Mean active minutes per user per day.
    public var minutesPerUserDay: Double
    /// Resource allocation map row: share of the segment's active minutes in each region (sums to 1).
    public var allocation: [String: Double]

    public struct Share: Sendable, Equatable, Codable {
        public var name: String
        public var share: Double
        public init(_ name: String, _ share: Double) { self.name = name; self.share = share }
    }
}

/// How a re-run compares with the previous segmentation.
public struct SegmentDrift: Sendable, Equatable, Codable {
    public struct Change: Sendable, Equatable, Codable {
        public var id: Int32
        public var previousSize: Int
        public var size: Int
        /// Distance the centroid moved in the behaviour space (0 for a new or vanished segment).
        public var centroidShift: Double
    }
    public var changes: [Change]
    /// Segments that appeared / disappeared.
    public var appeared: [Int32]
    public var vanished: [Int32]
    /// Users present in both runs whose segment changed, and how many were compared.
    public var usersMoved: Int
    public var usersCompared: Int
}

/// A complete segmentation: the space, the segments, how k was chosen, and drift.
public struct Segmentation: Sendable, Equatable, Codable {
    public var createdAt: Timestamp
    public var space: BehaviourSpace
    public var segments: [SegmentSummary]
    /// How k was chosen: `configured`, or `silhouette` with the score per k tried.
    public var kChoice: String
    public var silhouette: [Int: Double]
    public var drift: SegmentDrift?
    /// Users with no activity, left unassigned.
    public var unassigned: Int

    public init(createdAt: Timestamp, space: BehaviourSpace, segments: [SegmentSummary], kChoice: String,
                silhouette: [Int: Double], drift: SegmentDrift?, unassigned: Int) {
        self.createdAt = createdAt; self.space = space; self.segments = segments; self.kChoice = kChoice
        self.silhouette = silhouette; self.drift = drift; self.unassigned = unassigned
    }

    public func segment(_ id: Int32) -> SegmentSummary? { segments.first { $0.id == id } }
}

extension Segmentation {
    /// The penalty multiplier per region from the segments' priorities (1 unless listed) and the
    /// allocation map: `w_r = Σ_s d_s a_sr p_s / Σ_s d_s a_sr`, with d_s the segment's CPU demand per
    /// day (size × minutes per user-day × millicores) and a_sr its share in region r.
    public func penaltyWeights(priorities: [Int32: Double]) -> [String: Double] {
        var weighted: [String: Double] = [:], total: [String: Double] = [:]
        for s in segments {
            let demand = Double(s.size) * s.minutesPerUserDay * max(s.cpuMillicores, 1e-9)
            let p = priorities[s.id] ?? 1
            for (region, share) in s.allocation {
                weighted[region, default: 0] += demand * share * p
                total[region, default: 0] += demand * share
            }
        }
        return Dictionary(uniqueKeysWithValues: total.map { ($0.key, $0.value > 0 ? weighted[$0.key]! / $0.value : 1) })
    }
}
