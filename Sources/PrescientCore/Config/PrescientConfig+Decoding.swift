extension PrescientConfig {
    static let topLevelKeys = ["regions", "features", "instance_types", "slo", "scaling", "ingest", "profiles", "integrations", "serve"]

    /// Decodes and validates a configuration document. Sections left out keep their defaults.
    ///
    /// - Throws: `ConfigErrors` listing every mistake, each with its line and key path.
    public static func decode(_ root: ConfigNode, source: String = "config",
                              isKnownTimeZone: @escaping (String) -> Bool = { _ in true }) throws(ConfigErrors) -> PrescientConfig {
        let d = ConfigDecoder(isKnownTimeZone: isKnownTimeZone)
        var config = PrescientConfig.default
        if let top = d.mapping(root, "", known: topLevelKeys) {
            if let n = top["regions"] { config.regions = decodeRegions(n, d) }
            if let n = top["features"] { config.features = decodeFeatures(n, d) }
            if let n = top["instance_types"] { config.instanceTypes = decodeInstanceTypes(n, d) }
            if let n = top["slo"] { config.slo = decodeSLO(n, d) }
            if let n = top["scaling"] { config.scaling = decodeScaling(n, d) }
            if let n = top["ingest"] { config.ingest = decodeIngest(n, d) }
            if let n = top["profiles"] { config.profiles = decodeProfiles(n, d) }
            if let n = top["integrations"] { config.integrations = decodeIntegrations(n, d) }
            if let n = top["serve"] { config.serve = decodeServe(n, d) }
            crossCheck(config, top, d)
        }
        guard d.issues.isEmpty else {
            throw ConfigErrors(d.issues.map { var i = $0; i.source = source; return i })
        }
        return config
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 63 && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    static func decodeRegions(_ node: ConfigNode, _ d: ConfigDecoder) -> [RegionSpec] {
        let items = d.sequence(node, "regions")
        if items.isEmpty && !node.isNull { d.report(node, "regions", "at least one region is required") }
        var out: [RegionSpec] = []
        for (i, item) in items.enumerated() {
            let p = "regions[\(i)]"
            guard let m = d.mapping(item, p, known: ["name", "time_zone", "countries", "host_suffixes", "neighbours"]) else { continue }
            guard let name = d.string(m["name"], "\(p).name") else { continue }
            if !isName(name) { d.report(m["name"], "\(p).name", "'\(name)' is not a valid name (lowercase letters, digits, '-', '_', '.')") }
            let tz = d.string(m["time_zone"], "\(p).time_zone") ?? "UTC"
            if !d.isKnownTimeZone(tz) { d.report(m["time_zone"], "\(p).time_zone", "unknown time zone '\(tz)' (use an IANA name such as Europe/London)") }
            var countries: [String] = []
            for (j, c) in d.strings(m["countries"], "\(p).countries").enumerated() {
                let up = c.uppercased()
                if up.count != 2 || !up.allSatisfy({ $0.isASCII && $0.isLetter }) {
                    d.report(m["countries"], "\(p).countries[\(j)]", "'\(c)' is not an ISO 3166 alpha-2 code")
                } else { countries.append(up) }
            }
            let suffixes = d.strings(m["host_suffixes"], "\(p).host_suffixes").map { $0.lowercased() }
            var neighbours: [String: Double] = [:]
            if let n = m["neighbours"] {
                for (key, v) in d.freeMapping(n, "\(p).neighbours") {
                    if let ms = d.double(v, "\(p).neighbours.\(key)", default: nil, range: 0...10_000, unit: "ms") { neighbours[key] = ms }
                }
            }
            out.append(RegionSpec(name: name, timeZone: tz, countries: countries, hostSuffixes: suffixes, neighbours: neighbours))
        }
        return out
    }

    static func decodeFeatures(_ node: ConfigNode, _ d: ConfigDecoder) -> [FeatureSpec] {
        var out: [FeatureSpec] = []
        for (i, item) in d.sequence(node, "features").enumerated() {
            let p = "features[\(i)]"
            guard let m = d.mapping(item, p, known: ["name", "paths", "cost"]) else { continue }
            guard let name = d.string(m["name"], "\(p).name") else { continue }
            let paths = d.strings(m["paths"], "\(p).paths")
            for (j, path) in paths.enumerated() where !path.hasPrefix("/") {
                d.report(m["paths"], "\(p).paths[\(j)]", "'\(path)' must start with '/'")
            }
            var cost = FeatureCost(cpuMillicores: 0, memoryMiB: 0, networkKbps: 0)
            if let cn = m["cost"], let c = d.mapping(cn, "\(p).cost", known: ["cpu_millicores", "memory_mib", "network_kbps"]) {
                cost.cpuMillicores = d.double(c["cpu_millicores"], "\(p).cost.cpu_millicores", default: 0, range: 0...1_000_000, unit: "millicores") ?? 0
                cost.memoryMiB = d.double(c["memory_mib"], "\(p).cost.memory_mib", default: 0, range: 0...1_000_000, unit: "MiB") ?? 0
                cost.networkKbps = d.double(c["network_kbps"], "\(p).cost.network_kbps", default: 0, range: 0...100_000_000, unit: "kbit/s") ?? 0
            } else if m["cost"] == nil {
                d.report(item, "\(p).cost", "required (cpu_millicores, memory_mib, network_kbps per active minute)")
            }
            out.append(FeatureSpec(name: name, paths: paths, cost: cost))
        }
        return out
    }

    static func decodeInstanceTypes(_ node: ConfigNode, _ d: ConfigDecoder) -> [InstanceTypeSpec] {
        var out: [InstanceTypeSpec] = []
        let items = d.sequence(node, "instance_types")
        if items.isEmpty { d.report(node, "instance_types", "at least one instance type is required") }
        for (i, item) in items.enumerated() {
            let p = "instance_types[\(i)]"
            guard let m = d.mapping(item, p, known: ["name", "vcpu", "memory_gib", "network_gbps", "price_per_hour", "boot_seconds", "quota"]) else { continue }
            guard let name = d.string(m["name"], "\(p).name") else { continue }
            let vcpu = d.double(m["vcpu"], "\(p).vcpu", default: nil, range: 0.125...1024) ?? 1
            let mem = d.double(m["memory_gib"], "\(p).memory_gib", default: nil, range: 0.125...65_536, unit: "GiB") ?? 1
            let net = d.double(m["network_gbps"], "\(p).network_gbps", default: 10, range: 0.01...1000, unit: "Gbit/s") ?? 10
            let price = d.double(m["price_per_hour"], "\(p).price_per_hour", default: nil, range: 0...10_000) ?? 0
            let boot = d.seconds(m["boot_seconds"], "\(p).boot_seconds", default: 90, range: 0...7200)
            var quota: [String: Int] = [:]
            var defaultQuota = 1000
            if let q = m["quota"] {
                if case .scalar = q.value {
                    defaultQuota = d.int(q, "\(p).quota", default: 1000, range: 0...1_000_000) ?? 1000
                } else {
                    for (key, v) in d.freeMapping(q, "\(p).quota") {
                        let n = d.int(v, "\(p).quota.\(key)", default: nil, range: 0...1_000_000) ?? 0
                        if key == "default" { defaultQuota = n } else { quota[key] = n }
                    }
                }
            }
            out.append(InstanceTypeSpec(name: name, vcpu: vcpu, memoryGiB: mem, networkGbps: net, pricePerHour: price,
                                        bootSeconds: boot, quota: quota, defaultQuota: defaultQuota))
        }
        return out
    }

    static func decodeSLO(_ node: ConfigNode, _ d: ConfigDecoder) -> SLOSpec {
        var s = SLOSpec()
        guard let m = d.mapping(node, "slo", known: ["max_utilisation", "latency_p99_ms", "under_provision_penalty", "segment_priorities"]) else { return s }
        s.maxUtilisation = d.double(m["max_utilisation"], "slo.max_utilisation", default: s.maxUtilisation, range: 0.05...1) ?? s.maxUtilisation
        s.latencyP99Milliseconds = d.double(m["latency_p99_ms"], "slo.latency_p99_ms", default: s.latencyP99Milliseconds, range: 1...600_000, unit: "ms") ?? s.latencyP99Milliseconds
        s.underProvisionPenalty = d.double(m["under_provision_penalty"], "slo.under_provision_penalty", default: s.underProvisionPenalty, range: 0...1_000_000) ?? s.underProvisionPenalty
        if let p = m["segment_priorities"] {
            for (key, v) in d.freeMapping(p, "slo.segment_priorities") {
                guard let id = Int32(key), id >= 0 else { d.report(v, "slo.segment_priorities.\(key)", "not a segment id (a whole number ≥ 0)"); continue }
                if let w = d.double(v, "slo.segment_priorities.\(key)", default: nil, range: 0...1000) { s.segmentPriorities[id] = w }
            }
        }
        return s
    }

    static func decodeScaling(_ node: ConfigNode, _ d: ConfigDecoder) -> ScalingSpec {
        var s = ScalingSpec()
        let keys = ["interval", "target_utilisation", "scale_out_threshold", "scale_in_threshold", "safety_factor",
                    "scheduling_buffer", "cooldown", "stabilisation", "max_step", "min_instances", "max_instances",
                    "budget_per_hour", "quantile", "learning_hours"]
        guard let m = d.mapping(node, "scaling", known: keys) else { return s }
        s.intervalSeconds = d.seconds(m["interval"], "scaling.interval", default: s.intervalSeconds, range: 1...86_400)
        s.targetUtilisation = d.double(m["target_utilisation"], "scaling.target_utilisation", default: s.targetUtilisation, range: 0.05...1) ?? s.targetUtilisation
        s.scaleOutThreshold = d.double(m["scale_out_threshold"], "scaling.scale_out_threshold", default: s.scaleOutThreshold, range: 0.05...1) ?? s.scaleOutThreshold
        s.scaleInThreshold = d.double(m["scale_in_threshold"], "scaling.scale_in_threshold", default: s.scaleInThreshold, range: 0...0.99) ?? s.scaleInThreshold
        s.safetyFactor = d.double(m["safety_factor"], "scaling.safety_factor", default: s.safetyFactor, range: 1...10) ?? s.safetyFactor
        s.schedulingBufferSeconds = d.seconds(m["scheduling_buffer"], "scaling.scheduling_buffer", default: s.schedulingBufferSeconds, range: 0...3600)
        s.cooldownSeconds = d.seconds(m["cooldown"], "scaling.cooldown", default: s.cooldownSeconds, range: 0...86_400)
        s.stabilisationSeconds = d.seconds(m["stabilisation"], "scaling.stabilisation", default: s.stabilisationSeconds, range: 0...86_400)
        s.maxStep = d.int(m["max_step"], "scaling.max_step", default: s.maxStep, range: 1...100_000) ?? s.maxStep
        s.minInstancesPerRegion = d.int(m["min_instances"], "scaling.min_instances", default: s.minInstancesPerRegion, range: 0...100_000) ?? s.minInstancesPerRegion
        s.maxInstancesPerRegion = d.int(m["max_instances"], "scaling.max_instances", default: s.maxInstancesPerRegion, range: 1...1_000_000) ?? s.maxInstancesPerRegion
        s.budgetPerHour = d.double(m["budget_per_hour"], "scaling.budget_per_hour", default: s.budgetPerHour, range: 0...1e9) ?? s.budgetPerHour
        s.quantile = d.double(m["quantile"], "scaling.quantile", default: s.quantile, range: 0.5...0.999) ?? s.quantile
        s.learningHours = d.double(m["learning_hours"], "scaling.learning_hours", default: s.learningHours, range: 0...8760, unit: "hours") ?? s.learningHours
        if s.minInstancesPerRegion > s.maxInstancesPerRegion {
            d.report(m["min_instances"] ?? node, "scaling.min_instances", "must not exceed max_instances (\(s.maxInstancesPerRegion))")
        }
        return s
    }

    static func decodeIngest(_ node: ConfigNode, _ d: ConfigDecoder) -> IngestSpec {
        var s = IngestSpec()
        guard let m = d.mapping(node, "ingest", known: ["default_region", "feature_depth", "late_bound", "max_line_bytes", "time_zone"]) else { return s }
        s.defaultRegion = m["default_region"].flatMap { $0.isNull ? nil : d.string($0, "ingest.default_region") }
        s.featureDepth = d.int(m["feature_depth"], "ingest.feature_depth", default: s.featureDepth, range: 1...16) ?? s.featureDepth
        s.lateBoundSeconds = d.seconds(m["late_bound"], "ingest.late_bound", default: s.lateBoundSeconds, range: 0...31 * 86_400)
        s.maxLineBytes = d.int(m["max_line_bytes"], "ingest.max_line_bytes", default: s.maxLineBytes, range: 256...(256 << 20)) ?? s.maxLineBytes
        s.naiveTimeZone = d.string(m["time_zone"], "ingest.time_zone", default: s.naiveTimeZone) ?? s.naiveTimeZone
        if !d.isKnownTimeZone(s.naiveTimeZone) {
            d.report(m["time_zone"], "ingest.time_zone", "unknown time zone '\(s.naiveTimeZone)'")
        }
        return s
    }

    static func decodeServe(_ node: ConfigNode, _ d: ConfigDecoder) -> ServeSpec {
        var s = ServeSpec()
        let keys = ["listen", "token", "token_env", "protect_reads", "max_body", "max_batch", "queue", "connections",
                    "request_timeout", "log_format", "log_level"]
        guard let m = d.mapping(node, "serve", known: keys) else { return s }
        s.listen = d.string(m["listen"], "serve.listen", default: s.listen) ?? s.listen
        if s.hostAndPort == nil { d.report(m["listen"] ?? node, "serve.listen", "'\(s.listen)' is not host:port (e.g. 127.0.0.1:8080)") }
        if let t = m["token"], !t.isNull { s.token = d.string(t, "serve.token") }
        s.tokenEnv = d.string(m["token_env"], "serve.token_env", default: s.tokenEnv) ?? s.tokenEnv
        s.protectReads = d.bool(m["protect_reads"], "serve.protect_reads", default: s.protectReads)
        s.maxBodyBytes = d.int(m["max_body"], "serve.max_body", default: s.maxBodyBytes, range: 1024...(1 << 30)) ?? s.maxBodyBytes
        s.maxBatch = d.int(m["max_batch"], "serve.max_batch", default: s.maxBatch, range: 1...10_000_000) ?? s.maxBatch
        s.queue = d.int(m["queue"], "serve.queue", default: s.queue, range: 1...100_000) ?? s.queue
        s.connections = d.int(m["connections"], "serve.connections", default: s.connections, range: 1...10_000) ?? s.connections
        s.requestTimeoutSeconds = d.seconds(m["request_timeout"], "serve.request_timeout", default: s.requestTimeoutSeconds, range: 1...3600)
        s.logFormat = d.string(m["log_format"], "serve.log_format", default: s.logFormat) ?? s.logFormat
        if !["logfmt", "json"].contains(s.logFormat) { d.report(m["log_format"], "serve.log_format", "'\(s.logFormat)' is not logfmt or json") }
        s.logLevel = d.string(m["log_level"], "serve.log_level", default: s.logLevel) ?? s.logLevel
        if !["debug", "info", "warn", "error"].contains(s.logLevel) { d.report(m["log_level"], "serve.log_level", "'\(s.logLevel)' is not debug, info, warn or error") }
        return s
    }

    static func decodeProfiles(_ node: ConfigNode, _ d: ConfigDecoder) -> ProfileSpec {
        var s = ProfileSpec()
        guard let m = d.mapping(node, "profiles", known: ["half_life_days", "churn_after_days", "location_half_life_hours"]) else { return s }
        s.halfLifeDays = d.double(m["half_life_days"], "profiles.half_life_days", default: s.halfLifeDays, range: 0.1...3650, unit: "days") ?? s.halfLifeDays
        s.churnAfterDays = d.double(m["churn_after_days"], "profiles.churn_after_days", default: s.churnAfterDays, range: 1...3650, unit: "days") ?? s.churnAfterDays
        s.locationHalfLifeHours = d.double(m["location_half_life_hours"], "profiles.location_half_life_hours", default: s.locationHalfLifeHours, range: 0.1...8760, unit: "hours") ?? s.locationHalfLifeHours
        return s
    }

    static func decodeIntegrations(_ node: ConfigNode, _ d: ConfigDecoder) -> IntegrationsSpec {
        var s = IntegrationsSpec()
        guard let m = d.mapping(node, "integrations", known: ["haproxy", "dns", "caches", "warming"]) else { return s }
        if let h = m["haproxy"], !h.isNull,
           let hm = d.mapping(h, "integrations.haproxy", known: ["socket", "map_file", "backend_prefix", "weights_backend", "refresh"]) {
            var spec = HAProxySpec(socket: d.string(hm["socket"], "integrations.haproxy.socket") ?? "",
                                   mapFile: d.string(hm["map_file"], "integrations.haproxy.map_file") ?? "")
            spec.backendPrefix = d.string(hm["backend_prefix"], "integrations.haproxy.backend_prefix", default: spec.backendPrefix, nonEmpty: false) ?? spec.backendPrefix
            spec.weightsBackend = hm["weights_backend"].flatMap { $0.isNull ? nil : d.string($0, "integrations.haproxy.weights_backend") }
            spec.refreshSeconds = d.double(hm["refresh"], "integrations.haproxy.refresh", default: spec.refreshSeconds, range: 1...86_400, unit: "seconds") ?? spec.refreshSeconds
            s.haproxy = spec
        }
        if let n = m["dns"], !n.isNull,
           let dm = d.mapping(n, "integrations.dns", known: ["server", "port", "zone", "key_name", "key_secret", "key_secret_env", "ttl", "addresses"]) {
            var spec = DNSSpec(server: d.string(dm["server"], "integrations.dns.server") ?? "",
                               port: d.int(dm["port"], "integrations.dns.port", default: 53, range: 1...65_535) ?? 53,
                               zone: d.string(dm["zone"], "integrations.dns.zone") ?? "",
                               keyName: d.string(dm["key_name"], "integrations.dns.key_name") ?? "",
                               keySecret: dm["key_secret"].flatMap { d.string($0, "integrations.dns.key_secret", default: "") },
                               ttl: d.int(dm["ttl"], "integrations.dns.ttl", default: 30, range: 0...86_400) ?? 30)
            spec.keySecretEnv = dm["key_secret_env"].flatMap { d.string($0, "integrations.dns.key_secret_env") }
            if spec.keySecret != nil, let b = spec.keySecret, Base64.decode(b) == nil {
                d.report(dm["key_secret"], "integrations.dns.key_secret", "not base64 (give the secret tsig-keygen printed)")
            }
            if spec.keySecret == nil && spec.keySecretEnv == nil {
                d.report(n, "integrations.dns", "give key_secret or key_secret_env (the TSIG secret, base64)")
            }
            if let a = dm["addresses"] {
                for (region, v) in d.freeMapping(a, "integrations.dns.addresses") {
                    let list = d.strings(v, "integrations.dns.addresses.\(region)")
                    for ip in list where IPAddress.v4(ip) == nil && IPAddress.v6(ip) == nil {
                        d.report(v, "integrations.dns.addresses.\(region)", "'\(ip)' is not an IPv4 or IPv6 address")
                    }
                    spec.addresses[region] = list
                }
            }
            s.dns = spec
        }
        if let c = m["caches"] {
            for (region, v) in d.freeMapping(c, "integrations.caches") {
                if let url = d.string(v, "integrations.caches.\(region)") {
                    if !url.hasPrefix("http://") {
                        d.report(v, "integrations.caches.\(region)", "'\(url)' is not an http:// URL")
                    }
                    s.caches[region] = url
                }
            }
        }
        if let w = m["warming"], let wm = d.mapping(w, "integrations.warming", known: ["interval", "rate", "items", "cache_ttl", "half_life_hours"]) {
            var spec = WarmingSpec()
            spec.intervalSeconds = d.double(wm["interval"], "integrations.warming.interval", default: spec.intervalSeconds, range: 10...86_400, unit: "seconds") ?? spec.intervalSeconds
            spec.ratePerSecond = d.double(wm["rate"], "integrations.warming.rate", default: spec.ratePerSecond, range: 0.01...100_000, unit: "fetches/s") ?? spec.ratePerSecond
            spec.items = d.int(wm["items"], "integrations.warming.items", default: spec.items, range: 1...10_000_000) ?? spec.items
            spec.cacheTTLSeconds = d.double(wm["cache_ttl"], "integrations.warming.cache_ttl", default: spec.cacheTTLSeconds, range: 1...86_400, unit: "seconds") ?? spec.cacheTTLSeconds
            spec.halfLifeHours = d.double(wm["half_life_hours"], "integrations.warming.half_life_hours", default: spec.halfLifeHours, range: 0.1...8760, unit: "hours") ?? spec.halfLifeHours
            s.warming = spec
        }
        return s
    }

    /// Checks that span sections: names are unique, references name known regions, each country
    /// and host suffix belongs to one region.
    static func crossCheck(_ c: PrescientConfig, _ top: [String: ConfigNode], _ d: ConfigDecoder) {
        let names = Set(c.regionNames)
        var seen = Set<String>()
        var countryOwner: [String: String] = [:]
        var suffixOwner: [String: String] = [:]
        for (i, r) in c.regions.enumerated() {
            let node = regionNode(top["regions"], i)
            if !seen.insert(r.name).inserted { d.report(node, "regions[\(i)].name", "duplicate region '\(r.name)'") }
            for n in r.neighbours.keys.sorted() where !names.contains(n) || n == r.name {
                d.report(node, "regions[\(i)].neighbours.\(n)", n == r.name ? "a region is not its own neighbour" : "unknown region '\(n)' (regions: \(c.regionNames.joined(separator: ", ")))")
            }
            for code in r.countries {
                if let other = countryOwner[code], other != r.name {
                    d.report(node, "regions[\(i)].countries", "country \(code) is already served by region '\(other)'")
                }
                countryOwner[code] = r.name
            }
            for s in r.hostSuffixes {
                if let other = suffixOwner[s], other != r.name {
                    d.report(node, "regions[\(i)].host_suffixes", "host suffix '\(s)' is already served by region '\(other)'")
                }
                suffixOwner[s] = r.name
            }
        }
        var featureNames = Set<String>()
        for (i, f) in c.features.enumerated() where !featureNames.insert(f.name).inserted {
            d.report(regionNode(top["features"], i), "features[\(i)].name", "duplicate feature '\(f.name)'")
        }
        var typeNames = Set<String>()
        for (i, t) in c.instanceTypes.enumerated() {
            if !typeNames.insert(t.name).inserted { d.report(regionNode(top["instance_types"], i), "instance_types[\(i)].name", "duplicate instance type '\(t.name)'") }
            for r in t.quota.keys.sorted() where !names.contains(r) {
                d.report(regionNode(top["instance_types"], i), "instance_types[\(i)].quota.\(r)", "unknown region '\(r)'")
            }
        }
        if let r = c.ingest.defaultRegion, !names.contains(r) {
            d.report(top["ingest"], "ingest.default_region", "unknown region '\(r)' (regions: \(c.regionNames.joined(separator: ", ")))")
        }
        for r in (c.integrations.dns?.addresses.keys.sorted() ?? []) where !names.contains(r) {
            d.report(top["integrations"], "integrations.dns.addresses.\(r)", "unknown region '\(r)'")
        }
        for r in c.integrations.caches.keys.sorted() where !names.contains(r) {
            d.report(top["integrations"], "integrations.caches.\(r)", "unknown region '\(r)'")
        }
    }

    private static func regionNode(_ list: ConfigNode?, _ i: Int) -> ConfigNode? {
        guard let list, case .sequence(let items) = list.value, i < items.count else { return list }
        return items[i]
    }
}
