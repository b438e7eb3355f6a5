import PrescientCore

/// Replays requests with paths through one `RegionCache` per region twice — as they came, and
/// with a warmer that every `warmEvery` seconds fetches its `WarmPlan` for the coming window —
/// and compares hit ratios, overall and in the peak hour. The warmer knows only the past: its
/// `ContentPopularity` is fed each request after it is served. Warm fetches land at the tick
/// (a fetch takes milliseconds against windows of minutes); the rate caps how many there are.
public struct CacheReplay: Sendable {
    public struct Request: Sendable {
        public var millis: Int64
        public var region: Int
        public var segment: Int
        public var path: String
        public init(millis: Int64, region: Int, segment: Int, path: String) {
            self.millis = millis; self.region = region; self.segment = segment; self.path = path
        }
    }

    public struct Options: Sendable {
        /// Objects each region's cache holds.
        public var capacity = 10_000
        /// The warmer's rounds (interval, rate, cache TTL, popularity half-life); `items` is
        /// ignored: a round may fill `warmShare` of the cache.
        public var warming = WarmingSpec()
        /// Share of the cache the warmer may fill each round.
        public var warmShare = 0.5
        public init() {}
    }

    /// Hit counts of one run (per region, and in the peak hour over all regions).
    public struct Outcome: Sendable, Equatable, Codable {
        public var requests: Int, hits: Int, peakRequests: Int, peakHits: Int
        /// Origin fetches caused by users' misses, and by warming.
        public var missFetches: Int, warmFetches: Int
        public var hitRatio: Double { requests > 0 ? Double(hits) / Double(requests) : 0 }
        public var peakHitRatio: Double { peakRequests > 0 ? Double(peakHits) / Double(peakRequests) : 0 }

        public static let zero = Outcome(requests: 0, hits: 0, peakRequests: 0, peakHits: 0, missFetches: 0, warmFetches: 0)

        public static func + (a: Outcome, b: Outcome) -> Outcome {
            Outcome(requests: a.requests + b.requests, hits: a.hits + b.hits, peakRequests: a.peakRequests + b.peakRequests,
                    peakHits: a.peakHits + b.peakHits, missFetches: a.missFetches + b.missFetches, warmFetches: a.warmFetches + b.warmFetches)
        }
    }

    public struct Result: Sendable, Equatable, Codable {
        /// Start of the UTC hour with the most requests.
        public var peakHour: Timestamp
        public var withoutWarming: Outcome, withWarming: Outcome
        public var perRegion: [String: [Outcome]]
    }

    public let regions: [String]
    public let options: Options

    public init(regions: [String], options: Options = Options()) { self.regions = regions; self.options = options }

    public func run(_ requests: [Request]) -> Result? {
        guard let first = requests.first else { return nil }
        var perHour: [Int64: Int] = [:]
        for r in requests { perHour[r.millis / 3_600_000, default: 0] += 1 }
        let peak = perHour.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        let n = regions.count
        var cold = (0..<n).map { _ in RegionCache(ttlSeconds: options.warming.cacheTTLSeconds, capacity: options.capacity) }
        var warm = cold
        var popularity = ContentPopularity(halfLifeHours: options.warming.halfLifeHours, slotSeconds: options.warming.cacheTTLSeconds)
        var outcomes = [[Outcome]](repeating: [.zero, .zero], count: n)
        let step = Int64(options.warming.intervalSeconds * 1000)
        var nextTick = first.millis - first.millis % step + step
        for r in requests {
            while r.millis >= nextTick {
                let now = Timestamp(milliseconds: nextTick)
                for (i, region) in regions.enumerated() {
                    let plan = WarmPlan.make(popularity: popularity, region: region, now: now,
                                             cacheTTLSeconds: options.warming.cacheTTLSeconds, maxItems: Int(Double(options.capacity) * options.warmShare),
                                             ratePerSecond: options.warming.ratePerSecond, secondsToDeadline: options.warming.intervalSeconds)
                    for item in plan.items where warm[i].warm(item.key, now: nextTick) { outcomes[i][1].warmFetches += 1 }
                }
                nextTick += step
            }
            let key = String(ContentPopularity.key(forPath: r.path))
            let inPeak = r.millis / 3_600_000 == peak
            for (mode, hit) in [cold[r.region].request(key, now: r.millis), warm[r.region].request(key, now: r.millis)].enumerated() {
                outcomes[r.region][mode].requests += 1
                if hit { outcomes[r.region][mode].hits += 1 } else { outcomes[r.region][mode].missFetches += 1 }
                if inPeak {
                    outcomes[r.region][mode].peakRequests += 1
                    if hit { outcomes[r.region][mode].peakHits += 1 }
                }
            }
            popularity.record(region: regions[r.region], segment: r.segment, path: r.path, at: Timestamp(milliseconds: r.millis))
        }
        func total(_ mode: Int) -> Outcome { outcomes.reduce(.zero) { $0 + $1[mode] } }
        var perRegion: [String: [Outcome]] = [:]
        for (i, name) in regions.enumerated() where outcomes[i][0].requests > 0 { perRegion[name] = outcomes[i] }
        return Result(peakHour: Timestamp(milliseconds: peak * 3_600_000), withoutWarming: total(0), withWarming: total(1), perRegion: perRegion)
    }
}
