import Dispatch
import PrescientCore

/// Generates a synthetic multi-region user population and its activity, day by day, in time order.
///
/// Every user's parameters and every user-day's sessions come from their own random stream
/// (`seed` → user → day), so output does not depend on thread count or the order work is done in:
/// same spec, same bytes. Memory is bounded by one UTC day of sessions (users are re-derived from
/// their stream when needed, never stored).
///
/// Model, per user-day in the user's local time: expected sessions
/// `Λ = rate(segment) × activity × dayWeight(segment, weekday)`, spread over the hours by the
/// segment's hour shape (shifted by the user's personal shift), times `rainBoost` in rainy hours for
/// the rain-sensitive segment and `matchBoost` during a match in the user's region for the match
/// segment; sessions ~ Poisson(Σ λ_h). Length ~ exponential(segment mean) clipped to 10 s…4 h;
/// CPU = cost.cpu_millicores × length (ms of CPU), bytes = cost.network_kbps × 125 × length × U(0.8, 1.2).
public struct PopulationGenerator: Sendable {
    public let spec: PopulationSpec
    public let weather: WeatherSeries
    public let matches: [ScheduledMatch]
    /// Cumulative population share per region.
    private let regionCDF: [Double]
    /// Cumulative segment mix per region.
    private let segmentCDF: [[Double]]
    /// Hour shapes [segment][weekend ? 1 : 0][hour], each summing to 1.
    private let shapes: [[[Double]]]
    /// Base feature weights per segment over spec.features.
    private let featureWeights: [[Double]]
    /// UTC offset, seconds, per region per local day (index day + 1, for days −1…days).
    private let offsets: [[Int]]
    /// Weekday of the span's first day, 0 = Monday.
    private let firstWeekday: Int
    private let root: SplitMix64
    /// Width of the zero-padded user number in user ids.
    public let userIdWidth: Int

    public init(spec: PopulationSpec) {
        precondition(spec.users > 0 && spec.days > 0 && !spec.regions.isEmpty && !spec.features.isEmpty)
        self.spec = spec
        root = SplitMix64(seed: spec.seed)
        let shares = spec.regions.map { r -> Double in
            ["us-east": 0.35, "eu-west": 0.30, "ap-northeast": 0.15, "ap-southeast": 0.20][r.name] ?? 0.25
        }
        regionCDF = PopulationGenerator.cumulative(shares)
        segmentCDF = spec.regions.enumerated().map { i, r in
            PopulationGenerator.cumulative(SegmentArchetype.mix(forRegion: r.name, index: i, seed: spec.seed))
        }
        shapes = SegmentArchetype.allCases.map { seg in
            [false, true].map { weekend in
                let s = seg.hourShape(weekend: weekend)
                let total = s.reduce(0, +)
                return s.map { $0 / total }
            }
        }
        featureWeights = SegmentArchetype.allCases.map { seg in
            var w = spec.features.map { f in seg.features.first { $0.0 == f.name }?.1 ?? 0 }
            if w.allSatisfy({ $0 == 0 }) { w = w.map { _ in 1 } }
            return w
        }
        offsets = spec.regions.map { r in
            (-1...spec.days).map { d in
                spec.utcOffset(r.timeZone, Timestamp(milliseconds: spec.start.milliseconds + Int64(d) * 86_400_000 + 12 * 3_600_000))
            }
        }
        firstWeekday = Int((spec.start.epochDay + 3) % 7 + 7) % 7
        weather = WeatherSeries(regions: spec.regions.count, hours: spec.days * 24, rng: root)
        matches = ScheduledMatch.schedule(spec, rng: root)
        userIdWidth = max(6, String(spec.users - 1).count)
    }

    static func cumulative(_ w: [Double]) -> [Double] {
        let total = w.reduce(0, +)
        var acc = 0.0
        return w.map { acc += $0 / total; return acc }
    }

    @inline(__always)
    static func pick(_ cdf: [Double], _ u: Double) -> Int {
        for (i, c) in cdf.enumerated() where u < c { return i }
        return cdf.count - 1
    }

    // MARK: Users

    /// The hidden parameters of user `index`, re-derived from its stream (cheap, allocation-free).
    public func user(_ index: Int) -> SyntheticUser {
        var rng = root.derive(UInt64(index) &* 2 &+ 1)
        let home = Self.pick(regionCDF, rng.nextUnit())
        let segment = SegmentArchetype(rawValue: Self.pick(segmentCDF[home], rng.nextUnit()))!
        let activity = _simExp(0.45 * rng.nextGaussian())
        let shift = max(-2, min(2, Int((0.6 * rng.nextGaussian()).rounded())))
        let days = spec.days
        let firstDay = (rng.nextUnit() < spec.initialShare || days == 1) ? 0 : 1 + rng.nextInt(below: days - 1)
        var lastDay = Int.max / 2
        if rng.nextUnit() < spec.churnShare { lastDay = firstDay + rng.nextInt(below: max(1, days - firstDay)) }
        var trip: (region: Int, day: Int, days: Int)?
        var move: (region: Int, day: Int)?
        let nRegions = spec.regions.count
        let tripDraw = rng.nextUnit(), tripRegion = rng.nextInt(below: max(1, nRegions - 1)),
            tripDay = rng.nextInt(below: days), tripLength = 1 + rng.nextInt(below: 4)
        if tripDraw < spec.travellerShare && nRegions > 1 {
            trip = ((home + 1 + tripRegion) % nRegions, tripDay, tripLength)
        }
        let moveDraw = rng.nextUnit(), moveRegion = rng.nextInt(below: max(1, nRegions - 1)),
            moveDay = 1 + rng.nextInt(below: max(1, days - 1))
        if moveDraw < spec.moverShare && nRegions > 1 && days > 1 && trip == nil {
            move = ((home + 1 + moveRegion) % nRegions, moveDay)
        }
        // Scenario migrations draw from their own stream, so adding one leaves every other user as it was.
        if trip == nil {
            for (k, m) in spec.migrations.enumerated() where m.segment == segment && m.from == home && m.day > 0 && m.day < days {
                var draw = root.derive(0x316_0000_0000 &+ UInt64(k) << 32 &+ UInt64(index))
                if draw.nextUnit() < m.share { move = (m.to, m.day) }
            }
        }
        let devices = segment.devices
        var u = rng.nextUnit() * devices.reduce(0) { $0 + $1.1 }
        var primary = devices[0].0
        for (d, w) in devices { if u < w { primary = d; break }; u -= w }
        return SyntheticUser(index: index, segment: segment, homeRegion: home, activity: activity, hourShift: shift,
                             firstDay: firstDay, lastDay: lastDay, trip: trip, move: move, primaryDevice: primary)
    }

    public func userID(_ index: Int) -> String {
        "u" + String(index).leftPadded(to: userIdWidth)
    }

    // MARK: Sessions

    /// Per-thread scratch space, so the hot loop allocates nothing.
    struct Scratch {
        var hourCDF = [Double](repeating: 0, count: 24)
        var featureCDF: [Double]
        init(features: Int) { featureCDF = [Double](repeating: 0, count: features) }
    }

    /// Appends the sessions of `user` that start in UTC day `utcDay` (relative to the span start).
    func appendSessions(of user: SyntheticUser, utcDay: Int, into out: inout [GeneratedEvent], scratch: inout Scratch) {
        let dayStart = spec.start.milliseconds + Int64(utcDay) * 86_400_000
        let dayEnd = dayStart + 86_400_000
        // Local days that overlap this UTC day.
        for localDay in (utcDay - 1)...(utcDay + 1) where localDay >= 0 && localDay < spec.days {
            guard localDay >= user.firstDay && localDay <= user.lastDay else { continue }
            let region = user.region(onDay: localDay)
            let offsetMs = Int64(offsets[region][localDay + 1]) * 1000
            let localStart = spec.start.milliseconds + Int64(localDay) * 86_400_000 - offsetMs
            guard localStart < dayEnd && localStart + 86_400_000 > dayStart else { continue }
            generateLocalDay(user, localDay: localDay, region: region, localStart: localStart,
                             keep: dayStart..<dayEnd, into: &out, scratch: &scratch)
        }
    }

    private func generateLocalDay(_ user: SyntheticUser, localDay: Int, region: Int, localStart: Int64,
                                  keep: Range<Int64>, into out: inout [GeneratedEvent], scratch: inout Scratch) {
        var rng = root.derive(UInt64(user.index) &* 2 &+ 1).derive(UInt64(localDay) &+ 0x1000)
        let seg = user.segment
        let weekday = (firstWeekday + localDay) % 7
        let shape = shapes[seg.rawValue][weekday >= 5 ? 1 : 0]
        let base = seg.sessionsPerDay * user.activity * seg.dayWeight(weekday)
        let spanStartHour = Int((localStart - spec.start.milliseconds) / 3_600_000)
        var total = 0.0
        for h in 0..<24 {
            var lambda = base * shape[(h - user.hourShift + 24) % 24]
            if seg == .eveningStreamer {
                if weather.isRaining(region: region, hour: spanStartHour + h) { lambda *= spec.rainBoost }
                let hourStart = localStart + Int64(h) * 3_600_000
                for m in matches where m.region == region && m.segment == seg
                    && m.start.milliseconds < hourStart + 3_600_000 && m.end.milliseconds > hourStart {
                    lambda *= spec.matchBoost
                }
            }
            total += lambda
            scratch.hourCDF[h] = total
        }
        let n = rng.nextPoisson(total)
        guard n > 0 else { return }
        // Personal feature mix: segment weights × log-normal noise drawn from the day's stream.
        let weights = featureWeights[seg.rawValue]
        var acc = 0.0
        for f in 0..<weights.count {
            acc += weights[f] * _simExp(0.35 * rng.nextGaussian())
            scratch.featureCDF[f] = acc
        }
        let devices = seg.devices
        for k in 0..<n {
            let uh = rng.nextUnit() * total
            var hour = 23
            for h in 0..<24 where uh < scratch.hourCDF[h] { hour = h; break }
            let t = localStart + Int64(hour) * 3_600_000 + Int64(rng.nextUnit() * 3_600_000)
            let length = min(4 * 3600, max(10, rng.nextExponential(mean: seg.meanSessionSeconds)))
            let uf = rng.nextUnit() * acc
            var feature = weights.count - 1
            for f in 0..<weights.count where uf < scratch.featureCDF[f] { feature = f; break }
            var device = user.primaryDevice
            if rng.nextUnit() >= 0.8 { device = devices[rng.nextInt(below: devices.count)].0 }
            let noise = 0.8 + 0.4 * rng.nextUnit()
            guard keep.contains(t) else { continue }
            let bytes = Int64(spec.features[feature].cost.networkKbps * 125 * length * noise)
            out.append(GeneratedEvent(timeMs: t, bytes: bytes, user: Int32(user.index), localDay: Int16(localDay),
                                      ordinal: UInt16(min(k, Int(UInt16.max))), durationSeconds: Float(length),
                                      region: UInt8(region), feature: UInt8(feature), device: device,
                                      segment: UInt8(seg.rawValue)))
        }
    }

    /// All sessions starting in UTC day `utcDay`, sorted by time (ties: user, then ordinal).
    ///
    /// Users are split into `chunks` fixed ranges generated concurrently; the result does not
    /// depend on the number of chunks.
    public func day(_ utcDay: Int, chunks: Int = 8) -> [GeneratedEvent] {
        let n = spec.users
        let chunkCount = max(1, min(chunks, n))
        let parts = ConcurrentSlots<[GeneratedEvent]>(count: chunkCount, initial: [])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            let lo = n * c / chunkCount, hi = n * (c + 1) / chunkCount
            var out: [GeneratedEvent] = []
            out.reserveCapacity((hi - lo) * 3)
            var scratch = Scratch(features: spec.features.count)
            for i in lo..<hi { appendSessions(of: user(i), utcDay: utcDay, into: &out, scratch: &scratch) }
            parts.set(c, out)
        }
        var all: [GeneratedEvent] = []
        all.reserveCapacity(parts.values.reduce(0) { $0 + $1.count })
        for p in parts.values { all.append(contentsOf: p) }
        return Self.sortedByTime(all, dayStart: spec.start.milliseconds + Int64(utcDay) * 86_400_000)
    }

    /// Sorts by (time, user, ordinal) through packed 64-bit keys: (ms since day start) << 32 | position.
    /// Sessions of one user are generated in time-independent order, so ties fall back to position,
    /// which is the (user, local day, ordinal) generation order.
    static func sortedByTime(_ events: [GeneratedEvent], dayStart: Int64) -> [GeneratedEvent] {
        var keys = [UInt64](repeating: 0, count: events.count)
        for (i, e) in events.enumerated() { keys[i] = UInt64(e.timeMs - dayStart) << 32 | UInt64(i) }
        keys.sort()
        return keys.map { events[Int($0 & 0xFFFF_FFFF)] }
    }
}
