#if canImport(Glibc)
import Glibc
#endif

/// What each segment of users asks for in each region, and when (pure), so a region's cache can
/// be warmed with what its users are about to request.
///
/// Counting unit: a key counts once per *slot* of `slotSeconds` in which it is requested (set it
/// to the cache TTL), not once per request. Caches see requests in bursts — one page view pulls
/// a page's assets within seconds, a crawler walks a tree in a minute — and a burst needs one
/// fetch: what warming can save is the first miss of a slot. So the figures below are *active
/// slots*, and "expected" over a horizon of one slot reads as the chance that the key is asked
/// for at all while a warmed copy is fresh.
///
/// Per (region, segment): forward-decayed active-slot counts per content key (request path
/// without its fragment), their total C, and a slot-of-day histogram H (one bin per slot of the
/// UTC day: the time-of-day rhythm at the cache's own resolution, so traffic that comes at :05
/// every hour is seen at :05), all with half-life h. Forward decay (Cormode et al. 2009): an
/// event at t adds 2^((t − L)/h) for a landmark L, so reading a value at `now` is one
/// multiplication by 2^(−(now − L)/h); the landmark moves (and every value is rescaled) when
/// weights grow past 2^40. Each table keeps its `keysPerTable` most requested keys: past twice
/// that many, the least requested half is dropped (a bounded tail).
///
/// Expected active slots of key p from segment s in region r over [t, t + H):
///   E = Σ_{slots k of the window} ρ_s(k) × c_s(p) / C_s
/// where ρ_s(k) is the segment's active-slot count per slot in k's slot of the day: its decayed
/// histogram bin over the decayed number of times that slot of the day lies in the history,
/// (H_s[k] + 0.1 ρ̄_s) / (X_s[k] + 0.1) — shrunk toward the overall ρ̄_s = Σ H / Σ X by a prior
/// worth a tenth of a day, so a slot never seen yet gets the overall rate — and c_s(p) / C_s is
/// the key's share of the segment's active slots.
public struct ContentPopularity: Sendable {
    public let halfLifeHours: Double
    public let keysPerTable: Int
    public let slotSeconds: Double
    /// Slots in a day (bins of the histogram).
    public let slotsPerDay: Int

    struct Count: Sendable {
        var value: Double
        /// The slot (time / slotSeconds) of the key's last counted request.
        var slot: Int64
    }

    struct Table: Sendable {
        var counts: [String: Count] = [:]
        var total = 0.0
        var slotOfDay: [Double]
        var firstMillis: Int64
    }

    struct Key: Hashable, Sendable { var region: String; var segment: Int }

    var tables: [Key: Table] = [:]
    /// Landmark L, milliseconds since 1970.
    var landmark: Int64?

    /// Weight of the overall rate in each slot-of-day estimate, in days of history.
    static let prior = 0.1

    public init(halfLifeHours: Double = 72, keysPerTable: Int = 5_000, slotSeconds: Double = 600) {
        precondition(halfLifeHours > 0 && keysPerTable > 0 && slotSeconds >= 1 && slotSeconds <= 86_400)
        self.halfLifeHours = halfLifeHours; self.keysPerTable = keysPerTable; self.slotSeconds = slotSeconds
        slotsPerDay = Int((86_400 / slotSeconds).rounded(.up))
    }

    /// The content key of a request path: the path with its query (caches key on it) but not a fragment.
    public static func key(forPath path: String) -> Substring {
        path.firstIndex(of: "#").map { path[..<$0] } ?? Substring(path)
    }

    func exponent(_ millis: Int64) -> Double { Double(millis - (landmark ?? millis)) / 3_600_000 / halfLifeHours }

    /// The slot (time / slotSeconds) containing `millis`.
    func slot(_ millis: Int64) -> Int64 { Int64((Double(millis) / 1000 / slotSeconds).rounded(.down)) }

    /// The histogram bin of a slot: its position within its UTC day.
    func bin(ofSlot s: Int64) -> Int {
        let secondOfDay = (Double(s) * slotSeconds).truncatingRemainder(dividingBy: 86_400)
        return min(slotsPerDay - 1, Int((secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay) / slotSeconds))
    }

    /// Counts a request of `path` by a user of `segment` in `region` at `time` (once per slot).
    public mutating func record(region: String, segment: Int, path: String, at time: Timestamp) {
        if landmark == nil { landmark = time.milliseconds }
        if exponent(time.milliseconds) > 40 { moveLandmark(to: time.milliseconds) }
        let slot = slot(time.milliseconds)
        let key = Key(region: region, segment: segment)
        let content = String(Self.key(forPath: path))
        if let c = tables[key]?.counts[content], c.slot == slot { return }
        let w = exp2(exponent(time.milliseconds))
        var t = tables.removeValue(forKey: key) ?? Table(slotOfDay: [Double](repeating: 0, count: slotsPerDay), firstMillis: time.milliseconds)
        t.counts[content, default: Count(value: 0, slot: slot)].value += w
        t.counts[content]!.slot = slot
        t.total += w
        t.slotOfDay[bin(ofSlot: slot)] += w
        t.firstMillis = min(t.firstMillis, time.milliseconds)
        if t.counts.count > 2 * keysPerTable {
            let kept = t.counts.sorted { $0.value.value > $1.value.value || ($0.value.value == $1.value.value && $0.key < $1.key) }.prefix(keysPerTable)
            t.counts = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
        tables[key] = t
    }

    mutating func moveLandmark(to millis: Int64) {
        let scale = exp2(-exponent(millis))
        for k in Array(tables.keys) {
            var t = tables[k]!
            for (p, c) in t.counts { t.counts[p]!.value = c.value * scale }
            t.total *= scale
            for i in t.slotOfDay.indices { t.slotOfDay[i] *= scale }
            tables[k] = t
        }
        landmark = millis
    }

    /// The expected number of active slots per content key in `region` over `hours` hours from
    /// `start`, read at `now` (≥ every recorded request), largest first; keys below `minimum` left out.
    public func expected(region: String, from start: Timestamp, hours: Double, now: Timestamp, minimum: Double = 0) -> [(key: String, slots: Double)] {
        guard hours > 0, landmark != nil else { return [] }
        let decay = exp2(-exponent(now.milliseconds))
        let slotHours = slotSeconds / 3600
        let nowSlot = slot(now.milliseconds)
        // The part of the current slot that has passed.
        let elapsed = Double(now.milliseconds) / 1000 / slotSeconds - Double(nowSlot)
        var sums: [String: Double] = [:]
        for (k, t) in tables where k.region == region && t.total > 0 {
            // Decayed number of times each slot of the day lies in the history (10 half-lives back at most).
            var exposure = [Double](repeating: 0, count: slotsPerDay)
            let back = min(nowSlot - slot(t.firstMillis) + 1, Int64(10 * halfLifeHours / slotHours) + 1)
            for j in 0..<max(1, back) {
                exposure[bin(ofSlot: nowSlot - j)] += (j == 0 ? elapsed : 1) * exp2(-Double(j) * slotHours / halfLifeHours)
            }
            let overall = t.total * decay / max(1e-3, exposure.reduce(0, +))
            var slots = 0.0
            var left = hours / slotHours
            var s = slot(start.milliseconds)
            while left > 0 {
                let part = min(1, left)
                let b = bin(ofSlot: s)
                slots += part * (t.slotOfDay[b] * decay + Self.prior * overall) / (exposure[b] + Self.prior)
                left -= part
                s += 1
            }
            for (p, c) in t.counts { sums[p, default: 0] += slots * c.value / t.total }
        }
        return sums.filter { $0.value >= minimum }.map { (key: $0.key, slots: $0.value) }
            .sorted { $0.slots > $1.slots || ($0.slots == $1.slots && $0.key < $1.key) }
    }
}
