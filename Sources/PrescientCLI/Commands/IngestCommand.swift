import PrescientCore
import PrescientRedis
import PrescientRuntime
import PrescientSQLite

/// `prescient ingest`: reads event files in any supported format, validates every record, and
/// writes the accepted ones as canonical JSON Lines (the profile store joins in a later step).
struct IngestCommand: Command {
    let name = "ingest"
    let summary = "read events (JSON Lines, CSV/TSV, access logs) into user profiles"
    let arguments = "FILE..."
    let options: [OptionSpec] = [
        OptionSpec("--format", value: "F", help: "jsonl, csv, tsv or clf (access log); default: detected from the first line"),
        OptionSpec("--map", value: "FIELD=COLUMN,...", help: "which input field feeds each event field: ts, user, region, feature, device, duration_s, bytes, cpu_ms, mem_mb, id, country, client, agent, path", repeatable: true),
        OptionSpec("--delimiter", value: "C", help: "field delimiter for csv/tsv: one character, or 'tab' (default ',' for csv, tab for tsv)"),
        OptionSpec("--tz", value: "ZONE", help: "time zone of timestamps written without an offset (default: ingest.time_zone, UTC)"),
        CommonOptions.store,
        OptionSpec("--out", value: "FILE", help: "write accepted events as canonical JSON Lines instead of updating profiles"),
        OptionSpec("--to", value: "URL", help: "append accepted events to Redis streams instead: redis-stream://HOST:PORT[,…]/NAME[?partitions=P&wait=N]"),
        OptionSpec("--from", value: "URL", help: "be an ingest worker: apply events from redis-stream://HOST:PORT[,…]/NAME to --store (no FILE)"),
        OptionSpec("--workers", value: "N", help: "with --from: worker threads in this process (default 1)"),
        OptionSpec("--consumer", value: "NAME", help: "with --from: this worker's consumer name (default: host-pid)"),
        OptionSpec("--until-idle", value: "S", help: "with --from: stop once nothing arrived for S seconds and every partition is drained"),
        OptionSpec("--covariates", value: "FILE", help: "hourly covariates (region,ds,rain_mm,event) for covariate sensitivity, e.g. generate's covariates.csv"),
        OptionSpec("--commit-every", value: "N", help: "records per committed batch (default 500000); a commit is an acknowledgement and a resume point"),
        OptionSpec("--verbose", help: "print each commit"),
        OptionSpec("--rejects", value: "FILE", help: "write each rejected record: 'file:line: field: reason<TAB>record'"),
        OptionSpec("--strict", help: "stop at the first rejected record (what came before it is applied)"),
        OptionSpec("--max-rejects", value: "N", help: "rejections tolerated before exiting 65 (default 0; 'all' tolerates any)"),
        OptionSpec("--geoip-db", value: "PATH", help: "GeoIP country database for client IPs (default: /usr/share/GeoIP/GeoIP.dat)"),
        CommonOptions.config,
    ]
    let discussion = """
    Every record becomes an event (time, user, region, feature, device, duration, bytes; cpu_ms and
    mem_mb kept when present) or a rejection reported as 'file:line: field: reason', and accepted
    events update the users' profiles in the store. Each commit records how far into the file it
    reached: after a crash, running the same command again resumes there and every event is applied
    exactly once. Re-delivered events are recognised and skipped; events older than ingest.late_bound
    than the user's newest are rejected as late, never merged. Gzip input is
    read transparently; '-' reads standard input. The region comes from a region field, else a country
    (code or name), else the client: IP → country via GeoIP, host name → the regions' host suffixes
    or its country-code domain. The device comes from a device field or the user agent; the feature from
    a feature field or the request path (the features' path prefixes, else the first path segment).
    A summary line ends every run. When rejections exceed --max-rejects (default 0) or --strict stops
    the run, nothing is applied (--out is not written) and the exit status is 65.

    Scaling out: --to appends the accepted events to P Redis streams (a user's events always in the
    same one) instead of applying them; any number of 'ingest --from' workers, in this process
    (--workers) or others, then share the partitions through leases and apply them to --store
    (redis://… for the Redis Cluster store). A worker acknowledges an entry only after the profiles
    are saved; a dead worker's unacknowledged entries are claimed by the others.
    """
    let examples = [
        "prescient ingest events.jsonl",
        "prescient ingest pop/events.jsonl --covariates pop/covariates.csv --store sqlite:pop.db",
        "prescient ingest events.jsonl --store none --out clean.jsonl",
        "prescient ingest access.log.gz --format clf --rejects rejects.txt --max-rejects all",
        "prescient ingest nasa_19950801.tsv.gz --map user=host,ts=time,path=url --max-rejects all",
        "prescient ingest online_retail.csv.gz --map user=CustomerID,ts=InvoiceDate,feature=StockCode,country=Country --tz Europe/London --max-rejects all",
        "prescient ingest events.jsonl --to 'redis-stream://127.0.0.1:7000/events?partitions=12&wait=1'",
        "prescient ingest --from redis-stream://127.0.0.1:7000/events --store 'redis://127.0.0.1:7000/profiles?wait=1' --workers 2",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        if let from = args.value("--from") { return try StreamWorkers.run(from: from, args, context) }
        guard !args.positionals.isEmpty else { throw UsageError("no input FILE given") }
        var config = try CommonOptions.loadConfig(args, context)
        var options = IngestOptions()
        if let f = args.value("--format") {
            guard let format = InputFormat(name: f) else { throw UsageError("--format: '\(f)' is not one of jsonl, csv, tsv, clf") }
            options.format = format
        }
        options.mapping = try CommonOptions.fieldMapping(args)
        if let d = args.value("--delimiter") {
            switch d {
            case "tab", "\\t", "\t": options.delimiter = 0x09
            default:
                guard d.utf8.count == 1, let b = d.utf8.first, b != 0x22, b != 0x0A else {
                    throw UsageError("--delimiter: '\(d)' is not a single character (or 'tab')")
                }
                options.delimiter = b
            }
        }
        options.strict = args.has("--strict")
        if let m = args.value("--max-rejects") {
            if m == "all" { options.maxRejects = nil } else { options.maxRejects = try args.int("--max-rejects", default: 0, range: 0...Int.max) }
        }
        options.commitEvery = try args.int("--commit-every", default: options.commitEvery, range: 1...100_000_000)
        if let tz = args.value("--tz") { config.ingest.naiveTimeZone = tz }
        guard let zone = TimeZoneTable().provider(config.ingest.naiveTimeZone) else {
            throw UsageError("--tz: unknown time zone '\(config.ingest.naiveTimeZone)' (use an IANA name such as Europe/London)")
        }
        let countries = try CommonOptions.countryLookup(path: args.value("--geoip-db"))
        let runner = IngestRunner(config: config, options: options, countries: countries, naiveZone: zone)

        let console = context.console
        let rejectsWriter = try args.value("--rejects").map { path throws(RuntimeError) in try AtomicFileWriter(path: path) }
        var printed = 0
        runner.onReject = { rejection, bytes in
            if printed < options.printedRejects {
                console.err(rejection.description + "\n")
                printed += 1
            }
            if let w = rejectsWriter {
                try? w.append { out in
                    out.append(contentsOf: rejection.description.utf8)
                    out.append(0x09)
                    for b in bytes.prefix(64 << 10) { out.append(b == 0x0A ? 0x20 : b) }
                    out.append(0x0A)
                }
            }
        }
        let progress = ProgressLine(console: console, label: "ingest", unit: "records")
        runner.onProgress = { position, size, summary in
            progress.update(count: summary.records, fraction: size.map { Double(position) / Double(max(1, $0)) })
        }
        let sink: EventSink
        var profileSink: ProfileIngestSink?
        var streamSink: RedisStreamSink?
        if let out = args.value("--out") {
            sink = try JSONLinesEventSink(path: out)
        } else if let to = args.value("--to") {
            guard to.hasPrefix("redis-stream://") else { throw UsageError("--to: '\(to)' is not redis-stream://HOST:PORT/NAME") }
            let location = try RedisLocation(to)
            let s = try RedisStreamSink(stream: try RedisEventStream(name: location.name, partitions: location.partitions), client: location.client())
            streamSink = s
            sink = s
        } else if let storePath = try CommonOptions.storePath(args, context) {
            let covariates = try args.value("--covariates").map { path throws(RuntimeError) in try CovariateFile.load(path) } ?? CovariateTable()
            let updater = ProfileUpdater(config: config, offsets: TimeZoneTable().regionOffsets(config.regions), covariates: covariates)
            let s = ProfileIngestSink(store: try CommonOptions.openStore(storePath), updater: updater)
            if args.has("--verbose") {
                s.onCommit = { position, profiles in
                    console.err("ingest: committed through line \(position?.line ?? 0) (\(profiles) profiles saved)\n")
                }
            }
            profileSink = s
            sink = s
        } else {
            sink = DiscardingEventSink()
        }
        let summary: IngestSummary
        do {
            summary = try runner.run(paths: args.positionals, into: sink)
        } catch {
            progress.finish()
            try? rejectsWriter?.commit()
            throw error
        }
        progress.finish()
        try rejectsWriter?.commit()
        if summary.rejected > printed {
            let more = summary.rejected - printed
            console.err("… \(more) more rejection\(more == 1 ? "" : "s") not shown\(args.value("--rejects") == nil ? " (--rejects FILE keeps them all)" : " (all are in \(args.value("--rejects")!))")\n")
        }
        console.err(summary.summaryLine + "\n")
        if let s = streamSink {
            console.err("streams: \(s.appended) events appended in \(s.entries) entries to \(s.stream.partitions) partitions of \(s.stream.name)\n")
        }
        if let p = profileSink {
            console.err("profiles: \(p.applied) events applied, \(try p.store.profileCount()) users in \(p.store.location)\n")
        }
        if summary.stoppedEarly { return .dataError }
        if summary.exceededMaxRejects {
            console.err("ingest: \(summary.rejected) rejection\(summary.rejected == 1 ? "" : "s") exceed --max-rejects \(options.maxRejects ?? 0) (the good records were applied); pass --max-rejects N or all to accept such input\n")
            return .dataError
        }
        return .success
    }
}
