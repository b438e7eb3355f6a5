import PrescientCore
import PrescientRuntime
import PrescientSim

/// `prescient simulate`: replays demand through every scaling policy on the simulated cloud and
/// compares them (cost, under-provisioned resource-minutes, actions with their reasons).
struct SimulateCommand: Command {
    let name = "simulate"
    let summary = "replay demand through the scaling policies on the simulated cloud; table, report.json, report.html"
    let arguments = ""
    let options: [OptionSpec] = [
        SeriesOptions.series, OptionSpec("--events", value: "FILE", help: "events to replay as demand (any format ingest reads): each active for its duration at its own or its feature's cost"),
        OptionSpec("--map", value: "FIELD=COLUMN,...", help: "with --events: which input field feeds each event field (as for ingest)", repeatable: true),
        SeriesOptions.freq, CommonOptions.config,
        OptionSpec("--segments-from", value: "URL", help: "profile store whose segmentation (allocation map) weighs each region's penalty by slo.segment_priorities"),
        OptionSpec("--policy", value: "P,…", help: "policies: all (default) or some of \(Replay.policyNames.joined(separator: ", "))"),
        OptionSpec("--report", value: "DIR", help: "write report.json and report.html here"),
        OptionSpec("--failure-rate", value: "P", help: "share of launches that fail, 0…1 (default 0)"),
        OptionSpec("--cache-ttl", value: "S", help: "cache replay (events with paths): seconds a cached object stays fresh (default integrations.warming.cache_ttl, 600)"),
        OptionSpec("--cache-items", value: "N", help: "cache replay: objects each region's cache holds (default 10000)"),
        OptionSpec("--warm-every", value: "S", help: "cache replay: seconds between warming rounds (default integrations.warming.interval, 300)"),
        OptionSpec("--warm-rate", value: "R", help: "cache replay: warm fetches per second per region (default integrations.warming.rate, 20)"),
        CommonOptions.seed,
    ]
    let discussion = """
    --events replays an event file (JSON Lines, CSV, access logs: what ingest reads) as demand per
    region and minute, each event active for its duration at its own cpu_ms/mem_mb/bytes or its
    feature's configured cost. --series takes the long layout unique_id,ds,y with unique_id = region/resource (resource cpu in
    vCPUs, memory in GiB, network in Mbit/s: what forecast --store writes) or just region (CPU). Each
    step's value holds for its minutes. Every policy starts from enough ready instances of the
    catalog's first type for the first hour's peak at the target utilisation; the oracle (perfect
    foresight, no headroom) bounds them all.

    When the events carry request paths (access logs), the requests are also replayed through one
    cache per region (nginx proxy_cache semantics: fresh for the TTL after a fetch, LRU at the
    item limit) without and with the cache warmer, which knows only the requests before each
    round; the table gives the hit ratio in the busiest hour and over the whole replay.
    """
    let examples = [
        "prescient simulate --series demand.csv --policy all --report sim",
        "prescient simulate --events pop/events.jsonl --report sim",
        "prescient simulate --events nasa_19950801.tsv.gz --map user=host,ts=time,path=url --policy HPA,Prescient --report sim",
        "prescient simulate --series demand.csv --policy Prescient,HPA --config prescient.yaml --failure-rate 0.02",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let config = try CommonOptions.loadConfig(args, context)
        let trace: DemandTrace
        var requests: [(CacheReplay.Request, String)] = []
        if let path = args.value("--events") {
            (trace, requests) = try Self.traceFromEvents(path, mapping: try CommonOptions.fieldMapping(args), config: config, context)
        } else {
            guard args.value("--series") != nil else { throw UsageError("give --series FILE or --events FILE") }
            trace = try Self.traceFromSeries(args)
        }
        let wanted = (args.value("--policy") ?? "all").split(separator: ",").map { String($0.filter { $0 != " " }) }
        var weights: [String: Double] = [:]
        var segmentOf: [String: Int] = [:]
        if let url = args.value("--segments-from") {
            let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
            guard path.hasPrefix("redis://") || FileAccess.isReadable(path) else { throw RuntimeError(.io, "--segments-from: \(path): no profile store here") }
            let store = try CommonOptions.openStore(path)
            guard let segmentation = try store.segmentation() else { throw RuntimeError(.badInput, "\(url): no segmentation stored (run 'prescient segments')") }
            weights = segmentation.penaltyWeights(priorities: config.slo.segmentPriorities)
            // The cache replay keys popularity by segment: only needed when requests carry paths.
            if !requests.isEmpty { segmentOf = try store.assignments().mapValues { Int($0) } }
            context.console.err("simulate: penalty weight by region (segment priorities × allocation map): "
                + weights.sorted { $0.key < $1.key }.map { "\($0.key) \(Formatting.fixed($0.value, 2))" }.joined(separator: ", ") + "\n")
        }
        var policies = Replay.allPolicies(config: config, penaltyWeights: weights)
        if wanted != ["all"] {
            for w in wanted where !Replay.policyNames.contains(where: { $0.lowercased() == w.lowercased() }) {
                throw UsageError("--policy: unknown policy '\(w)' (\(Replay.policyNames.joined(separator: ", ")), all)")
            }
            policies = policies.filter { p in wanted.contains { $0.lowercased() == p.name.lowercased() } }
        }
        var replay = Replay(trace: trace, config: config)
        replay.failureRate = try args.double("--failure-rate", default: 0, range: 0...1)
        replay.seed = try CommonOptions.seed(args)
        var outcomes: [Replay.Outcome] = []
        for var p in policies {
            context.console.err("simulate: replaying \(p.name) over \(trace.regions.count) region\(trace.regions.count == 1 ? "" : "s") × \(trace.minutes) minutes…\n")
            let t0 = monotonicSeconds()
            var o = replay.run(&p)
            o.seconds = monotonicSeconds() - t0
            outcomes.append(o)
        }
        let oracle = outcomes.first { $0.policy == "Oracle" }
        let rows = outcomes.map { o -> [String] in
            [o.policy, Formatting.fixed(o.cost, 2), oracle.map { Formatting.fixed(o.cost / max(1e-9, $0.cost), 2) + "×" } ?? "-",
             String(o.underProvisionedTotal)] + Resource.allCases.map { r in String(o.underProvisioned.reduce(0) { $0 + $1[r.index] }) }
             + [String(o.actions.count), Formatting.seconds(o.seconds)]
        }
        let table = TextTable.render(header: ["policy", "cost", "vs oracle", "under-prov. min", "cpu", "memory", "network", "actions", "time"],
                                     rows: rows, rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
        context.console.out(table)
        let cache = try Self.cacheReplay(requests, users: segmentOf, args: args, config: config, context)
        if let dir = args.value("--report") {
            try FileAccess.makeDirectory(dir)
            try FileAccess.write(SimulationReport.json(outcomes, trace: trace, chartStep: replay.chartStep, cache: cache), to: dir + "/report.json")
            try FileAccess.write(SimulationReport.html(outcomes, trace: trace, table: table, cache: cache), to: dir + "/report.html")
            context.console.err("simulate: report in \(dir)/report.html and \(dir)/report.json\n")
        }
        return .success
    }

    /// The demand trace of an event file, and its requests that carry a path (for the cache replay).
    static func traceFromEvents(_ path: String, mapping: FieldMapping = FieldMapping(), config: PrescientConfig, _ context: CommandContext) throws -> (DemandTrace, [(CacheReplay.Request, String)]) {
        // Demand per region-minute, and every request with a path (and its user) for the caches.
        var builder = DemandTraceBuilder(config: config)
        var requests: [(CacheReplay.Request, String)] = []
        let regionIndex = Dictionary(uniqueKeysWithValues: config.regionNames.enumerated().map { ($1, $0) })
        let sink = ObservingEventSink { events in
            for e in events {
                builder.add(e)
                if let path = e.path, let r = regionIndex[e.region] {
                    requests.append((CacheReplay.Request(millis: e.time.milliseconds, region: r, segment: 0, path: path), e.user))
                }
            }
        }
        var options = IngestOptions()
        options.maxRejects = nil
        options.mapping = mapping
        let summary = try IngestRunner(config: config, options: options, countries: try CommonOptions.countryLookup(path: nil))
            .run(paths: [path], into: sink)
        context.console.err("simulate: \(summary.accepted) events → demand per region-minute\(summary.rejected > 0 ? " (\(summary.rejected) rejected)" : "")\n")
        guard let trace = builder.build() else { throw RuntimeError(.badInput, "\(path): no events to replay") }
        return (trace, requests)
    }

    /// Replays the requests with paths through one cache per region without and with warming,
    /// prints the hit ratios (peak hour and whole replay) and returns them for the report.
    static func cacheReplay(_ collected: [(CacheReplay.Request, String)], users: [String: Int], args: ParsedArguments, config: PrescientConfig,
                            _ context: CommandContext) throws -> CacheReplay.Result? {
        guard !collected.isEmpty else { return nil }
        var options = CacheReplay.Options()
        options.warming = config.integrations.warming
        options.warming.cacheTTLSeconds = try args.double("--cache-ttl", default: options.warming.cacheTTLSeconds, range: 1...86_400)
        options.capacity = Int(try args.double("--cache-items", default: Double(options.capacity), range: 1...10_000_000))
        options.warming.intervalSeconds = try args.double("--warm-every", default: options.warming.intervalSeconds, range: 10...86_400)
        options.warming.ratePerSecond = try args.double("--warm-rate", default: options.warming.ratePerSecond, range: 0.01...100_000)
        // Each request counts for its user's segment (one segment without --segments-from).
        let requests = collected.map { r, user in var r = r; r.segment = users[user] ?? 0; return r }.sorted { $0.millis < $1.millis }
        guard let r = CacheReplay(regions: config.regionNames, options: options).run(requests) else { return nil }
        func pct(_ x: Double) -> String { Formatting.fixed(x * 100, 1) + " %" }
        let hour = r.peakHour.rfc3339
        var rows: [[String]] = []
        for (name, o) in [("no warming", r.withoutWarming), ("warming", r.withWarming)] {
            let cells: [String] = [name, pct(o.peakHitRatio), String(o.peakRequests), pct(o.hitRatio), String(o.requests)]
            rows.append(cells + [String(o.missFetches), String(o.warmFetches)])
        }
        let w = options.warming
        context.console.out("\ncache (one per region: TTL \(Int(w.cacheTTLSeconds)) s, \(options.capacity) items; warming every \(Int(w.intervalSeconds)) s, ≤ \(Formatting.fixed(w.ratePerSecond, 0))/s; the warmer only knows the past)\n")
        context.console.out(TextTable.render(header: ["", "hit ratio, peak hour \(hour.prefix(13)):00Z", "requests", "hit ratio, whole replay", "requests", "miss fetches", "warm fetches"],
                                             rows: rows, rightAligned: [1, 2, 3, 4, 5, 6]))
        return r
    }

    static func traceFromSeries(_ args: ParsedArguments) throws -> DemandTrace {
        let series = try SeriesOptions.load(args)
        let path = args.value("--series")!
        var parts: [(region: String, resource: Resource, start: Timestamp, stepSeconds: Int64, values: [Double])] = []
        for s in series {
            let id = s.id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard let region = id.first, !region.isEmpty, id.count <= 2 else { throw RuntimeError(.badInput, "\(path): unique_id '\(s.id)': expected region or region/resource") }
            let resource: Resource
            if id.count == 2 {
                guard let r = Resource(rawValue: id[1]) else { throw RuntimeError(.badInput, "\(path): unique_id '\(s.id)': unknown resource '\(id[1])' (cpu, memory, network)") }
                resource = r
            } else { resource = .cpu }
            parts.append((region, resource, s.start, s.stepSeconds, s.values.map { $0 * resource.perForecastUnit }))
        }
        guard let trace = DemandTrace.fromSeries(parts) else { throw RuntimeError(.badInput, "\(path): no demand to replay") }
        return trace
    }
}
