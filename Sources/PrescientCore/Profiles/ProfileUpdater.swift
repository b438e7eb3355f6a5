/// Applies events to user profiles: pure, deterministic, idempotent for a re-delivered event.
///
/// Per event (all weights in active minutes, `m = max(duration, 6 s) / 60`):
/// 1. a re-delivered event — one with an `id` whose `EventHash` is among the user's recent ones —
///    is a `.duplicate`; an event more than `lateBoundSeconds` older than the user's newest, or (with
///    an id) older than what the duplicate check still remembers, is `.late`: counted and reported
///    by the caller, never merged. Events without an id cannot be told from a genuine repeat (logs
///    hold identical requests in the same second), so they are not deduplicated here: file ingests
///    make them exactly-once with checkpoints instead;
/// 2. the event enters with weight `2^((t − decayReference) / halfLife)` (see `UserProfile`); when
///    that passes 2^32 the reference moves to t and every field is rescaled once;
/// 3. the session's minutes go to the local hour-of-week bins they cover (region's UTC offset),
///    and to the region, device and feature mixes (and the recent-location mix, with its own short
///    half-life and reference); resources use the event's own `cpu_ms`,
///    `mem_mb` and `bytes` when present, else the feature's configured cost per active minute.
public struct ProfileUpdater: Sendable {
    public enum Outcome: Sendable, Equatable {
        case applied
        case duplicate
        case late(String)
    }

    public let halfLifeSeconds: Double
    /// Half-life of the recent-location mix, seconds.
    public let locationHalfLifeSeconds: Double
    public let lateBoundSeconds: Double
    public let offsets: RegionOffsets
    public let covariates: CovariateTable
    private let featureCosts: [String: FeatureCost]
    /// The same costs as short parallel lists: comparing a few short names beats hashing one.
    private let featureNames: [String]
    private let featureCostValues: [FeatureCost]
    /// Region names and their transitions, as short parallel lists for the same reason
    /// (iterating short names costs no reference counting; a tuple holding an array would).
    private let regionNames: [String]
    private let regionTables: [[(at: Int64, offset: Int32)]]
    /// Shortest activity an event counts for, seconds.
    public static let minimumActiveSeconds = 6.0

    public init(config: PrescientConfig, offsets: RegionOffsets = .utc, covariates: CovariateTable = CovariateTable()) {
        halfLifeSeconds = config.profiles.halfLifeDays * 86_400
        locationHalfLifeSeconds = config.profiles.locationHalfLifeHours * 3600
        lateBoundSeconds = config.ingest.lateBoundSeconds
        self.offsets = offsets
        self.covariates = covariates
        var costs: [String: FeatureCost] = [:]
        for f in config.features { costs[f.name] = f.cost }
        featureCosts = costs
        featureNames = config.features.map(\.name)
        featureCostValues = config.features.map(\.cost)
        let sorted = offsets.transitions.sorted { $0.key < $1.key }
        regionNames = sorted.map(\.key)
        regionTables = sorted.map(\.value)
    }

    /// `2^(−seconds / halfLife)`.
    @inline(__always)
    public func decay(seconds: Double) -> Double { _exp2(-seconds / halfLifeSeconds) }

    /// Applies `event` to `profile` (which must be the event's user's). A new user starts from
    /// `UserProfile(user:at:)`.
    public func apply(_ event: Event, to p: inout UserProfile) -> Outcome {
        let hash = event.id == nil ? nil : EventHash.of(event)
        if p.events > 0 {
            if let hash, p.recentFilter.mightContain(hash) {
                for r in p.recent where r.hash == hash { return .duplicate }
            }
            let age = Double(p.lastSeen.milliseconds - event.time.milliseconds) / 1000
            if age > lateBoundSeconds {
                return .late("\(Int(age)) s older than the user's newest event (bound \(Int(lateBoundSeconds)) s)")
            }
            if hash != nil, let floor = p.recentFloor, event.time <= floor {
                return .late("older than the duplicate check still remembers for this user")
            }
        } else {
            p.firstSeen = event.time
            p.lastSeen = event.time
            p.decayReference = event.time
            p.locationReference = event.time
        }
        if event.time > p.lastSeen { p.lastSeen = event.time }
        if event.time < p.firstSeen { p.firstSeen = event.time }
        let ahead = Double(event.time.milliseconds - p.decayReference.milliseconds) / 1000
        if ahead > 32 * halfLifeSeconds {
            rescale(&p, by: Float(decay(seconds: ahead)))
            p.decayReference = event.time
        }
        let weight = decay(seconds: -Double(event.time.milliseconds - p.decayReference.milliseconds) / 1000)
        let seconds = max(event.durationSeconds, Self.minimumActiveSeconds)
        let minutes = seconds / 60
        let w = Float(weight * minutes)

        spreadOverHours(event, seconds: seconds, weight: weight, into: &p.rhythm)
        _ = add(event.region, w, to: &p.regions, limit: Int.max)
        addLocation(event, minutes: minutes, to: &p)
        p.devices[event.device.index] += w
        p.otherFeatures += add(event.feature, w, to: &p.features, limit: UserProfile.maxFeatures)

        let cost = featureCost(event.feature)
        let cpu = event.resources.cpuMilliseconds.map { $0 / seconds } ?? cost?.cpuMillicores ?? 0
        let memory = event.resources.memoryMiB ?? cost?.memoryMiB ?? 0
        let network = event.bytes > 0 ? Double(event.bytes) * 8 / 1000 / seconds : (cost?.networkKbps ?? 0)
        let wm = weight * minutes
        p.cpuMillicoreMinutes += wm * cpu
        p.memoryMiBMinutes += wm * memory
        p.networkKbpsMinutes += wm * network

        if !covariates.isEmpty { addCovariateMinutes(event, seconds: seconds, weight: weight, to: &p) }

        if let hash { remember(RecentEvent(hash: hash, time: event.time), in: &p) }
        p.events += 1
        return .applied
    }

    /// Appends an applied event to the duplicate-check list. A full list first forgets its earliest
    /// entry (shifted out in place, so the buffer never grows past `maxRecent` and nothing is
    /// allocated per event); everything at or before that time is then "late" (conservative when
    /// events came out of order: never a double merge). The first entry reserves a few places, so a
    /// new user's list is not regrown on its second, third and fifth event.
    @inline(__always)
    private func remember(_ r: RecentEvent, in p: inout UserProfile) {
        if p.recent.count >= UserProfile.maxRecent {
            let removed = p.recent.removeFirst()
            p.recentFloor = max(p.recentFloor ?? removed.time, removed.time)
            var filter = RecentFilter()
            for e in p.recent { filter.insert(e.hash) }
            filter.insert(r.hash)
            p.recentFilter = filter
        } else {
            if p.recent.capacity == 0 { p.recent.reserveCapacity(UserProfile.initialRecentCapacity) }
            p.recentFilter.insert(r.hash)
        }
        p.recent.append(r)
    }

    @inline(__always)
    private func featureCost(_ name: String) -> FeatureCost? {
        if featureNames.count <= 32 {
            for i in featureNames.indices where featureNames[i] == name { return featureCostValues[i] }
            return nil
        }
        return featureCosts[name]
    }

    @inline(__always)
    private func offsetSeconds(region: String, at t: Timestamp) -> Int {
        if regionNames.count <= 32 {
            for i in regionNames.indices where regionNames[i] == region { return RegionOffsets.offset(in: regionTables[i], at: t) }
            return 0
        }
        return offsets.offsetSeconds(region: region, at: t)
    }

    /// Adds the event's minutes to the recent-location mix, weighted `2^((t − locationReference) /
    /// locationHalfLife)`; the reference moves (one rescale of the two slots) every 32 half-lives.
    /// A third region displaces the lighter slot when it outweighs it (recent weights fade fast).
    @inline(__always)
    private func addLocation(_ event: Event, minutes: Double, to p: inout UserProfile) {
        var ahead = Double(event.time.milliseconds - p.locationReference.milliseconds) / 1000
        if ahead > 32 * locationHalfLifeSeconds {
            let f = Float(_exp2(-ahead / locationHalfLifeSeconds))
            p.recentRegion?.weight *= f
            p.recentRegion2?.weight *= f
            p.locationReference = event.time
            ahead = 0
        }
        let w = Float(_exp2(ahead / locationHalfLifeSeconds) * minutes)
        if p.recentRegion?.name == event.region { p.recentRegion!.weight += w; return }
        if p.recentRegion2?.name == event.region { p.recentRegion2!.weight += w; return }
        guard let a = p.recentRegion else { p.recentRegion = WeightedName(event.region, w); return }
        guard let b = p.recentRegion2 else { p.recentRegion2 = WeightedName(event.region, w); return }
        if a.weight <= b.weight { if w > a.weight { p.recentRegion = WeightedName(event.region, w) } }
        else if w > b.weight { p.recentRegion2 = WeightedName(event.region, w) }
    }

    /// Adds the session's minutes in each hour it covers to the covariate counters of that hour
    /// (minutes in rain, by lag in and after a scheduled event, with covariate data at all), like the
    /// rhythm does.
    private func addCovariateMinutes(_ e: Event, seconds: Double, weight: Double, to p: inout UserProfile) {
        let perMs = weight / 60_000
        Self.forEachHour(from: e.time.milliseconds, milliseconds: Int64(seconds * 1000)) { hourIndex, ms in
            let t = Timestamp(milliseconds: hourIndex * 3_600_000)
            guard let c = covariates.at(region: e.region, t) else { return }
            let w = Float(Double(ms) * perMs)
            p.covariateMinutes += w
            if c.rainMillimetres > 0 { p.rainMinutes += w }
            if let lag = covariates.eventLag(region: e.region, t) { p.eventMinutesByLag[lag] += w }
        }
    }

    private func rescale(_ p: inout UserProfile, by f: Float) {
        guard f < 1 else { return }
        for i in p.rhythm.indices { p.rhythm[i] *= f }
        for i in p.regions.indices { p.regions[i].weight *= f }
        for i in p.devices.indices { p.devices[i] *= f }
        for i in p.features.indices { p.features[i].weight *= f }
        p.otherFeatures *= f
        let d = Double(f)
        p.cpuMillicoreMinutes *= d; p.memoryMiBMinutes *= d; p.networkKbpsMinutes *= d
        p.rainMinutes *= f; p.eventMinutesByLag *= f; p.covariateMinutes *= f
    }

    /// Adds `weight × minutes` to the local hour-of-week bins the session covers.
    private func spreadOverHours(_ e: Event, seconds: Double, weight: Double, into rhythm: inout [Float]) {
        let perMs = weight / 60_000
        Self.forEachHour(from: localMilliseconds(e), milliseconds: Int64(seconds * 1000)) { hourIndex, ms in
            rhythm[Self.hourOfWeek(hourIndex)] += Float(Double(ms) * perMs)
        }
    }

    /// The rhythm bin an event's session starts in (local hour of the week), for callers that
    /// prefetch it.
    @inline(__always)
    public func firstRhythmBin(of e: Event) -> Int {
        Self.hourOfWeek(floorDiv(localMilliseconds(e), 3_600_000))
    }

    /// The event's start in the local time of its region, milliseconds since the epoch.
    @inline(__always)
    private func localMilliseconds(_ e: Event) -> Int64 {
        e.time.milliseconds + Int64(offsetSeconds(region: e.region, at: e.time)) * 1000
    }

    /// Hour of the week of an hour index since the epoch: days since the epoch + 3 makes Monday
    /// day 0.
    @inline(__always)
    static func hourOfWeek(_ hourIndex: Int64) -> Int { Int(floorMod(hourIndex + 72, 168)) }

    /// Calls `body(hour index since the epoch, milliseconds in it)` for each clock hour that
    /// [start, start + milliseconds) covers (integer milliseconds; clipped to one week of hours).
    @inline(__always)
    static func forEachHour(from start: Int64, milliseconds: Int64, _ body: (Int64, Int64) -> Void) {
        var start = start, remaining = milliseconds, steps = 0
        while remaining > 0 && steps < 169 {
            let hourIndex = floorDiv(start, 3_600_000)
            let inThisHour = min(remaining, (hourIndex + 1) * 3_600_000 - start)
            body(hourIndex, inThisHour)
            remaining -= inThisHour
            start += inThisHour
            steps += 1
        }
    }

    /// Adds weight to a named entry. When the list is full, the new name replaces the lightest
    /// entry only if it outweighs it; returns the weight that found no place (for "other").
    private func add(_ name: String, _ w: Float, to list: inout [WeightedName], limit: Int) -> Float {
        if let i = list.firstIndex(where: { $0.name == name }) { list[i].weight += w; return 0 }
        if list.count < limit { list.append(WeightedName(name, w)); return 0 }
        guard let j = list.indices.min(by: { list[$0].weight < list[$1].weight }) else { return w }
        if w > list[j].weight {
            let displaced = list[j].weight
            list[j] = WeightedName(name, w)
            return displaced
        }
        return w
    }
}
