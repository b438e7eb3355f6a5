/// Turns a `RawEvent` into an `Event`: checks required fields, resolves the region, the device
/// class and the feature, and bounds every value. It either returns a whole event or the first
/// problem, so a bad record never half-applies.
///
/// Region lookups for a client are cached (a log repeats its clients); the cache is bounded.
public struct EventNormalizer: Sendable {
    public let resolver: RegionResolver
    public let features: FeatureRules
    private var regionCache: [String: String] = [:]
    /// Device class per user agent: logs repeat a few thousand agents millions of times.
    private var deviceCache: [String: DeviceClass] = [:]
    private static let cacheLimit = 1 << 16
    /// Longest accepted user id, feature or region name, bytes.
    public static let maxNameBytes = 256

    public init(config: PrescientConfig, countries: any CountryLookup = NoCountryLookup()) {
        resolver = RegionResolver(config: config, countries: countries)
        features = FeatureRules(features: config.features, depth: config.ingest.featureDepth)
    }

    public mutating func normalize(_ raw: RawEvent, labels: FieldLabels) -> Result<Event, FieldError> {
        guard let time = raw.time else { return .failure(FieldError(labels[.ts], "missing")) }
        guard let user = raw.user, !user.isEmpty else { return .failure(FieldError(labels[.user], "missing or empty")) }
        guard user.utf8.count <= Self.maxNameBytes else {
            return .failure(FieldError(labels[.user], "longer than \(Self.maxNameBytes) bytes"))
        }
        // Cache key for a derived region: the country (prefixed, never a host name) or the client.
        let cacheKey: String? = raw.region != nil ? nil : raw.country.map { "\u{1}" + $0 } ?? raw.client ?? raw.user
        let region: String
        if let key = cacheKey, let cached = regionCache[key] {
            region = cached
        } else {
            switch resolver.resolve(region: raw.region, country: raw.country, client: raw.client ?? raw.user, labels: labels) {
            case .success(let r):
                region = r
                if let key = cacheKey {
                    if regionCache.count >= Self.cacheLimit { regionCache.removeAll(keepingCapacity: true) }
                    regionCache[key] = r
                }
            case .failure(let e): return .failure(e)
            }
        }
        let feature: String
        if let f = raw.feature, !f.isEmpty {
            guard f.utf8.count <= Self.maxNameBytes else { return .failure(FieldError(labels[.feature], "longer than \(Self.maxNameBytes) bytes")) }
            feature = f
        } else if let p = raw.path, !p.isEmpty {
            feature = features.feature(forPath: p)
        } else {
            return .failure(FieldError(labels[.feature], "missing (no feature or path)"))
        }
        let device: DeviceClass
        if let d = raw.device {
            guard let parsed = DeviceClass(name: d) else {
                return .failure(FieldError(labels[.device], "unknown device '\(excerpt(d))' (mobile, desktop, tablet, tv, bot, unknown)"))
            }
            device = parsed
        } else if let a = raw.agent {
            if let cached = deviceCache[a] { device = cached } else {
                device = DeviceClassifier.classify(a)
                if deviceCache.count >= Self.cacheLimit { deviceCache.removeAll(keepingCapacity: true) }
                deviceCache[a] = device
            }
        } else {
            device = .unknown
        }
        if let d = raw.durationSeconds, d > 366 * 86_400 {
            return .failure(FieldError(labels[.duration], "longer than a year: \(d) s"))
        }
        return .success(Event(time: time, user: user, region: region, feature: feature, device: device,
                              durationSeconds: raw.durationSeconds ?? 0, bytes: raw.bytes ?? 0,
                              resources: ResourceUsage(cpuMilliseconds: raw.cpuMilliseconds, memoryMiB: raw.memoryMiB),
                              id: raw.id, path: raw.path.flatMap { $0.isEmpty || $0.utf8.count > Self.maxPathBytes ? nil : $0 }))
    }

    /// Longer request paths are not kept on the event (they still give the feature).
    static let maxPathBytes = 2048
}
