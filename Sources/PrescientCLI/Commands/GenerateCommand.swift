import PrescientCore
import PrescientRuntime
import PrescientSim

/// `prescient generate`: a synthetic multi-region population with ground truth.
struct GenerateCommand: Command {
    let name = "generate"
    let summary = "generate a synthetic multi-region user population, its events and the ground truth"
    let arguments = ""
    let options: [OptionSpec] = [
        OptionSpec("--users", value: "N", help: "number of users (default 10000)"),
        OptionSpec("--days", value: "D", help: "number of days (default 7)"),
        OptionSpec("--regions", value: "A,B,...", help: "regions to populate (default: every configured region)"),
        OptionSpec("--start", value: "YYYY-MM-DD", help: "first day, UTC midnight (default 2026-03-02, a Monday)"),
        CommonOptions.seed,
        OptionSpec("--out", value: "DIR", help: "output directory (created if missing)"),
        CommonOptions.config,
    ]
    let discussion = """
    Writes to DIR:
      events.jsonl     one session per line, in time order, in the JSON Lines that 'ingest' reads
      users.csv        each user's true segment, home region, activity, trips and moves (ground truth)
      demand.csv       the true demand per region and minute: active sessions, CPU, memory, network
      covariates.csv   hourly rain per region and the scheduled matches
      segments.csv     the five true segments and their share in each region
      manifest.json    the parameters, seed and counts
    Segments: commuters, evening streamers (rain-sensitive, and moved by matches), weekend-heavy,
    business hours, night owls, in different proportions per region, each in its region's local time.
    Users join (growth) and leave (churn) during the span; some travel or move between regions.
    The same seed gives the same bytes, whatever the number of cores.
    """
    let examples = [
        "prescient generate --users 10000 --days 7 --seed 42 --out data/synthetic",
        "prescient generate --users 1000000 --days 7 --regions us-east,eu-west --out /tmp/pop",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let users = try args.int("--users", default: 10_000, range: 1...50_000_000)
        let days = try args.int("--days", default: 7, range: 1...366)
        let seed = try CommonOptions.seed(args)
        let dir = try args.required("--out")
        guard args.positionals.isEmpty else { throw UsageError("unexpected argument '\(args.positionals[0])'") }
        let config = try CommonOptions.loadConfig(args, context)
        var regions = config.regions
        if let list = args.value("--regions") {
            let names = list.split(separator: ",").map { $0.filter { $0 != " " } }
            regions = try names.map { (n) throws(UsageError) -> RegionSpec in
                guard let r = config.region(named: n) else {
                    throw UsageError("--regions: unknown region '\(n)' (configured: \(config.regionNames.joined(separator: ", ")))")
                }
                return r
            }
            guard !regions.isEmpty else { throw UsageError("--regions: no region given") }
        }
        var start = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2).epochMilliseconds())
        if let s = args.value("--start") {
            guard case .success(let t) = TimestampParser().parse(s), t.milliseconds % 86_400_000 == 0 else {
                throw UsageError("--start: '\(s)' is not a date like 2026-03-02")
            }
            start = t
        }
        let zones = TimeZoneTable()
        let spec = PopulationSpec(users: users, days: days, start: start, regions: regions, features: config.features,
                                  seed: seed, utcOffset: { zones.offsetSeconds($0, at: $1) })
        try FileAccess.makeDirectory(dir)
        let clockStart = monotonicSeconds()
        let generator = PopulationGenerator(spec: spec)
        let progress = ProgressLine(console: context.console, label: "generate", unit: "events")

        let eventsFile = try AtomicFileWriter(path: dir + "/events.jsonl", flushBytes: 4 << 20)
        var demand = DemandAccumulator(start: start, minutes: days * 1440, regions: regions.count, features: config.features.count)
        var eventCount = 0
        var eventBytes = 0
        for d in 0..<days {
            let events = generator.day(d)
            for e in events {
                demand.add(region: Int(e.region), feature: Int(e.feature), startMs: e.timeMs, seconds: Double(e.durationSeconds))
            }
            // Format in slices so memory holds one day of compact events, not one day of text.
            var from = 0
            while from < events.count {
                let to = min(events.count, from + 262_144)
                for chunk in generator.jsonLines(Array(events[from..<to])) {
                    try eventsFile.write(chunk)
                    eventBytes += chunk.count
                }
                from = to
            }
            eventCount += events.count
            progress.update(count: eventCount, fraction: Double(d + 1) / Double(days))
        }
        try eventsFile.commit(sync: false)

        let usersFile = try AtomicFileWriter(path: dir + "/users.csv", flushBytes: 4 << 20)
        try usersFile.write(PopulationGenerator.usersHeader)
        var segmentCounts = [Int](repeating: 0, count: SegmentArchetype.allCases.count)
        var churned = 0, travellers = 0, movers = 0, joinedLater = 0
        for i in 0..<users {
            let u = generator.user(i)
            segmentCounts[u.segment.rawValue] += 1
            if u.lastDay < days { churned += 1 }
            if u.trip != nil { travellers += 1 }
            if u.move != nil { movers += 1 }
            if u.firstDay > 0 { joinedLater += 1 }
            try usersFile.append { generator.appendUserRow(u, to: &$0) }
        }
        try usersFile.commit(sync: false)

        let demandFile = try AtomicFileWriter(path: dir + "/demand.csv", flushBytes: 4 << 20)
        try demandFile.write(PopulationGenerator.demandHeader)
        try demandFile.append { generator.appendDemandRows(demand, to: &$0) }
        try demandFile.commit(sync: false)

        let covariatesFile = try AtomicFileWriter(path: dir + "/covariates.csv")
        try covariatesFile.write(PopulationGenerator.covariatesHeader)
        try covariatesFile.append { generator.appendCovariateRows(to: &$0) }
        try covariatesFile.commit(sync: false)
        try FileAccess.write(generator.segmentsTable(), to: dir + "/segments.csv")

        let seconds = monotonicSeconds() - clockStart
        var manifest = "{\n  \"generator\": \"prescient \(Prescient.version)\",\n  \"seed\": \(seed),\n  \"users\": \(users),\n  \"days\": \(days),\n"
        manifest += "  \"start\": \"\(start.rfc3339)\",\n  \"regions\": [\(regions.map { "\"\($0.name)\"" }.joined(separator: ", "))],\n"
        manifest += "  \"features\": [\(config.features.map { "\"\($0.name)\"" }.joined(separator: ", "))],\n"
        manifest += "  \"events\": \(eventCount),\n  \"segments\": {\(SegmentArchetype.allCases.map { "\"\($0.name)\": \(segmentCounts[$0.rawValue])" }.joined(separator: ", "))},\n"
        manifest += "  \"joined_later\": \(joinedLater),\n  \"churned\": \(churned),\n  \"travellers\": \(travellers),\n  \"movers\": \(movers),\n"
        manifest += "  \"matches\": [\(generator.matches.map { "{\"name\": \"\($0.name)\", \"region\": \"\(regions[$0.region].name)\", \"segment\": \"\($0.segment.name)\", \"start\": \"\($0.start.rfc3339)\", \"end\": \"\($0.end.rfc3339)\"}" }.joined(separator: ", "))],\n"
        manifest += "  \"files\": [\"events.jsonl\", \"users.csv\", \"demand.csv\", \"covariates.csv\", \"segments.csv\"]\n}\n"
        try FileAccess.write(manifest, to: dir + "/manifest.json")
        progress.finish()
        let peak = peakResidentBytes()
        context.console.err("generate: \(users) users × \(days) days → \(eventCount) events (\(Formatting.bytes(eventBytes))) in \(dir) in \(Formatting.seconds(seconds)) — \(Formatting.rate(Double(users) / seconds)) users/s, \(Formatting.rate(Double(eventCount) / seconds)) events/s, peak memory \(Formatting.bytes(peak))\n")
        return .success
    }
}
