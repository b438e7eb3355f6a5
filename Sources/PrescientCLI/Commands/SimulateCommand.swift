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
        SeriesOptions.freq, CommonOptions.config,
        OptionSpec("--segments-from", value: "URL", help: "profile store whose segmentation (allocation map) weighs each region's penalty by slo.segment_priorities"),
        OptionSpec("--policy", value: "P,…", help: "policies: all (default) or some of \(Replay.policyNames.joined(separator: ", "))"),
        OptionSpec("--report", value: "DIR", help: "write report.json and report.html here"),
        OptionSpec("--failure-rate", value: "P", help: "share of launches that fail, 0…1 (default 0)"),
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
    """
    let examples = [
        "prescient simulate --series demand.csv --policy all --report sim",
        "prescient simulate --events pop/events.jsonl --report sim",
        "prescient simulate --series demand.csv --policy Prescient,HPA --config prescient.yaml --failure-rate 0.02",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let config = try CommonOptions.loadConfig(args, context)
        let trace: DemandTrace
        if let path = args.value("--events") {
            trace = try Self.traceFromEvents(path, config: config, context)
        } else {
            guard args.value("--series") != nil else { throw UsageError("give --series FILE or --events FILE") }
            trace = try Self.traceFromSeries(args)
        }
        let wanted = (args.value("--policy") ?? "all").split(separator: ",").map { String($0.filter { $0 != " " }) }
        var weights: [String: Double] = [:]
        if let url = args.value("--segments-from") {
            let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
            guard FileAccess.isReadable(path) else { throw RuntimeError(.io, "--segments-from: \(path): no profile store here") }
            let store = try CommonOptions.openStore(path)
            guard let segmentation = try store.segmentation() else { throw RuntimeError(.badInput, "\(url): no segmentation stored (run 'prescient segments')") }
            weights = segmentation.penaltyWeights(priorities: config.slo.segmentPriorities)
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
        if let dir = args.value("--report") {
            try FileAccess.makeDirectory(dir)
            try FileAccess.write(SimulationReport.json(outcomes, trace: trace, chartStep: replay.chartStep), to: dir + "/report.json")
            try FileAccess.write(SimulationReport.html(outcomes, trace: trace, table: table), to: dir + "/report.html")
            context.console.err("simulate: report in \(dir)/report.html and \(dir)/report.json\n")
        }
        return .success
    }

    static func traceFromEvents(_ path: String, config: PrescientConfig, _ context: CommandContext) throws -> DemandTrace {
        let sink = DemandTraceSink(config: config)
        var options = IngestOptions()
        options.maxRejects = nil
        let summary = try IngestRunner(config: config, options: options).run(paths: [path], into: sink)
        context.console.err("simulate: \(summary.accepted) events → demand per region-minute\(summary.rejected > 0 ? " (\(summary.rejected) rejected)" : "")\n")
        guard let trace = sink.builder.build() else { throw RuntimeError(.badInput, "\(path): no events to replay") }
        return trace
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
