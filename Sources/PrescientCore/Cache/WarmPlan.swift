/// What to fetch into one region's cache ahead of the coming window, and why (pure).
///
/// A key is worth warming when the chance that it is asked for while a warmed copy is fresh
/// (`cacheTTL` from the warm fetch) reaches `minimumChance`. With `ContentPopularity` counting
/// active slots of the TTL's length, that chance is the expected number of active slots over
/// one TTL (capped at 1). At the default 0.5 a fetch saves a miss at least as often as it wastes
/// an origin request. Keys are taken most expected first, cut to `maxItems` (the share of the cache
/// warming may fill) and to what `ratePerSecond` can fetch before the deadline.
public struct WarmPlan: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var key: String
        /// The chance (expected active slots, ≤ 1) that the key is asked for while the warmed copy is fresh.
        public var chance: Double
    }

    public var region: String
    public var items: [Item]
    /// Keys that qualified but were cut by `maxItems` or by the rate before the deadline.
    public var cut: Int
    public var reason: String

    public static func make(popularity: ContentPopularity, region: String, now: Timestamp,
                            cacheTTLSeconds: Double, maxItems: Int, ratePerSecond: Double, secondsToDeadline: Double,
                            minimumChance: Double = 0.5) -> WarmPlan {
        let horizonHours = cacheTTLSeconds / 3600
        let candidates = popularity.expected(region: region, from: now, hours: horizonHours, now: now, minimum: minimumChance)
        let byRate = Int((max(0, ratePerSecond) * max(0, secondsToDeadline)).rounded(.down))
        let limit = max(0, min(maxItems, byRate))
        let items = candidates.prefix(limit).map { Item(key: $0.key, chance: min(1, $0.slots)) }
        let why = limit == byRate && byRate < min(maxItems, candidates.count) ? "the rate (\(byRate) fetches before the deadline)" : "the cache share (\(maxItems) items)"
        let reason = candidates.isEmpty
            ? "\(region): nothing with a \(ReasonFormat.percent(minimumChance)) chance of a request within a cached copy's \(Int(horizonHours * 60)) min"
            : "\(region): \(items.count) of \(candidates.count) keys with a \(ReasonFormat.percent(minimumChance))+ chance of a request within a cached copy's \(Int(horizonHours * 60)) min"
                + (candidates.count > items.count ? "; cut by \(why)" : "")
        return WarmPlan(region: region, items: items, cut: candidates.count - items.count, reason: reason)
    }

}
