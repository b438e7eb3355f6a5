/// Everything Prescient knows about one user's behaviour, updated event by event.
///
/// Decayed quantities are stored *as of `decayReference`*: an event at time t contributes
/// `w × 2^((t − decayReference) / halfLife)` (more than w for events after the reference), so a new
/// event touches only the fields it feeds; the reference moves forward — and every field is
/// rescaled once — only when it falls 32 half-lives behind. Addition commutes, so the state does
/// not depend on the order events arrive in (up to rounding). The value as of an instant `now` is
/// the stored one × `2^(−(now − decayReference) / halfLife)` (`scale(at:halfLifeDays:)`); shapes
/// (normalised mixes and rhythms) need no scaling.
///
/// Size: ~1.3 KB in memory for a typical user (the 168-bin rhythm is 672 B, the duplicate-check
/// ring up to 512 B).
public struct UserProfile: Sendable, Equatable {
    public var user: String
    public var firstSeen: Timestamp
    /// The newest event time applied.
    public var lastSeen: Timestamp
    /// The instant the decayed fields are expressed at (see the type's documentation).
    public var decayReference: Timestamp
    /// Events applied, all time (not decayed).
    public var events: Int64

    /// Decayed active minutes per hour of the week in the local time of the region the user was in
    /// (bin 0 = Monday 00:00–00:59), 168 bins. Sessions are spread over the hours they cover.
    public var rhythm: [Float]
    /// Decayed active minutes per region, by region name.
    public var regions: [WeightedName]
    /// Where the user has been lately: the two regions with the most active minutes decayed with
    /// the short location half-life (`profiles.location_half_life_hours`), stored as of
    /// `locationReference` (inline: no allocation on the per-event path). Its shape says where the
    /// user is now (a traveller abroad, a mover in the new region) while `regions` still says where
    /// they usually are.
    public var recentRegion: WeightedName?
    public var recentRegion2: WeightedName?
    /// The instant `location`'s weights are expressed at (moves every 32 location half-lives).
    public var locationReference: Timestamp
    /// Decayed active minutes per device class, indexed by `DeviceClass.allCases` order.
    public var devices: [Float]
    /// Decayed active minutes of the user's top features (at most `UserProfile.maxFeatures`);
    /// the rest of the weight is in `otherFeatures`.
    public var features: [WeightedName]
    public var otherFeatures: Float
    /// Decayed resource totals: CPU millicore-minutes, memory MiB-minutes, network kbit/s-minutes.
    /// Divided by the decayed active minutes (Σ rhythm) they give the cost per active minute.
    public var cpuMillicoreMinutes: Double
    public var memoryMiBMinutes: Double
    public var networkKbpsMinutes: Double
    /// Decayed active minutes in rainy hours, and in the hours of and after a scheduled event by
    /// event lag (lane k: k hours after the event's start, `CovariateTable.eventLags` lanes used),
    /// where covariates were given; spread over the hours a session covers, like the rhythm.
    public var rainMinutes: Float
    public var eventMinutesByLag: SIMD8<Float>
    /// Minutes with covariate data at all (so sensitivities can tell "dry" from "unknown").
    public var covariateMinutes: Float

    /// The segment the latest segmentation put the user in.
    public var segment: Int32?
    /// Predicted usage for the coming hours (filled by the forecaster).
    public var prediction: UsagePrediction?

    /// Recently applied events with an id (hash, time), in arrival order, for idempotent re-delivery.
    public var recent: [RecentEvent]
    /// A 128-bit filter of `recent`'s hashes: most new events are ruled out without a scan.
    /// Derived from `recent` (not stored).
    public var recentFilter = RecentFilter()
    /// Events at or before this time can no longer be checked against `recent`: treated as late.
    public var recentFloor: Timestamp?

    public static let hoursPerWeek = 168
    public static let maxFeatures = 8
    public static let maxRecent = 32
    /// Places the duplicate-check list reserves on its first entry.
    public static let initialRecentCapacity = 6

    public init(user: String, at t: Timestamp) {
        self.user = user
        firstSeen = t; lastSeen = t; decayReference = t; locationReference = t; events = 0
        rhythm = [Float](repeating: 0, count: Self.hoursPerWeek)
        regions = []
        devices = [Float](repeating: 0, count: DeviceClass.allCases.count)
        features = []; otherFeatures = 0
        cpuMillicoreMinutes = 0; memoryMiBMinutes = 0; networkKbpsMinutes = 0
        rainMinutes = 0; eventMinutesByLag = .zero; covariateMinutes = 0
        recent = []
    }

    /// Decayed active minutes as stored (as of `decayReference`): the weight every mix is a share of.
    public var activeMinutes: Double { rhythm.reduce(0) { $0 + Double($1) } }

    /// The factor that turns stored decayed values into values as of `now`:
    /// `2^(−(now − decayReference) / halfLife)`.
    public func scale(at now: Timestamp, halfLifeDays: Double) -> Double {
        _exp2(-Double(now.milliseconds - decayReference.milliseconds) / (halfLifeDays * 86_400_000))
    }

    /// Decayed active minutes as of `now`.
    public func activeMinutes(at now: Timestamp, halfLifeDays: Double) -> Double {
        activeMinutes * scale(at: now, halfLifeDays: halfLifeDays)
    }

    /// Expected cost per active minute (millicores, MiB, kbit/s); zero before any activity.
    public var costPerActiveMinute: FeatureCost {
        let m = activeMinutes
        guard m > 0 else { return FeatureCost(cpuMillicores: 0, memoryMiB: 0, networkKbps: 0) }
        return FeatureCost(cpuMillicores: cpuMillicoreMinutes / m, memoryMiB: memoryMiBMinutes / m, networkKbps: networkKbpsMinutes / m)
    }

    /// Decayed minutes in the hours of and after scheduled events, all lags.
    public var eventMinutes: Float { eventMinutesByLag.sum() }

    /// The region with the most activity.
    public var mainRegion: String? { regions.max { $0.weight < $1.weight }?.name }

    /// The recent-location mix as a list, heaviest first (setting keeps the two heaviest).
    public var location: [WeightedName] {
        get {
            var out: [WeightedName] = []
            if let a = recentRegion { out.append(a) }
            if let b = recentRegion2 { out.append(b) }
            return out.count == 2 && out[1].weight > out[0].weight ? [out[1], out[0]] : out
        }
        set {
            let top = newValue.sorted { $0.weight > $1.weight }
            recentRegion = top.first
            recentRegion2 = top.count > 1 ? top[1] : nil
        }
    }

    /// The region the user has been in most lately, if known.
    public var currentRegion: String? {
        guard let a = recentRegion else { return nil }
        guard let b = recentRegion2, b.weight > a.weight else { return a.name }
        return b.name
    }

    /// The top of the long region mix: where the user usually connects from.
    public var usualRegion: String? { regions.max { $0.weight < $1.weight }?.name }
}

/// A name with a decayed weight (a region, a feature).
public struct WeightedName: Sendable, Equatable {
    public var name: String
    public var weight: Float
    public init(_ name: String, _ weight: Float) { self.name = name; self.weight = weight }
}

/// Two 64-bit words with one bit set per remembered hash: "might contain" or "certainly not".
public struct RecentFilter: Sendable, Equatable {
    public private(set) var low: UInt64 = 0
    public private(set) var high: UInt64 = 0

    public init() {}
    public init(_ hashes: [UInt64]) { for h in hashes { insert(h) } }

    @inline(__always)
    public mutating func insert(_ h: UInt64) {
        let bit = (h >> 57) & 127
        if bit < 64 { low |= 1 << bit } else { high |= 1 << (bit - 64) }
    }

    @inline(__always)
    public func mightContain(_ h: UInt64) -> Bool {
        let bit = (h >> 57) & 127
        return bit < 64 ? low & (1 << bit) != 0 : high & (1 << (bit - 64)) != 0
    }
}

/// An applied event remembered for duplicate detection.
public struct RecentEvent: Sendable, Equatable {
    public var hash: UInt64
    public var time: Timestamp
    public init(hash: UInt64, time: Timestamp) { self.hash = hash; self.time = time }
}

/// A user's predicted usage: active minutes per step from `start`.
public struct UsagePrediction: Sendable, Equatable {
    public var start: Timestamp
    public var stepSeconds: Int32
    public var values: [Float]
    public init(start: Timestamp, stepSeconds: Int32, values: [Float]) {
        self.start = start; self.stepSeconds = stepSeconds; self.values = values
    }
}
