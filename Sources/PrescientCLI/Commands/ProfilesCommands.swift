import PrescientCore
import PrescientRuntime
import PrescientSQLite

/// `prescient profiles show USER`: one user's profile, readable.
struct ProfilesShowCommand: Command {
    let name = "profiles show"
    let summary = "show one user's behaviour profile"
    let arguments = "USER"
    let options: [OptionSpec] = [CommonOptions.store, CommonOptions.config]
    let discussion = "Rhythms are in the local time of the region the user was in. 'now' is the newest event in the store."
    let examples = ["prescient profiles show u0000042", "prescient profiles show 17850 --store sqlite:retail.db"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        guard args.positionals.count == 1 else { throw UsageError(args.positionals.isEmpty ? "no USER given" : "one USER at a time") }
        let config = try CommonOptions.loadConfig(args, context)
        let store = try CommonOptions.openExistingStore(args, context)
        let user = args.positionals[0]
        guard let p = try store.profile(user) else {
            context.console.err("profiles: no profile for '\(user)' in \(store.location)\n")
            return .noInput
        }
        let now = try store.newestEventTime() ?? p.lastSeen
        context.console.out(ProfileText.describe(p, now: now, halfLifeDays: config.profiles.halfLifeDays, segment: try store.segmentation()))
        return .success
    }
}

/// `prescient profiles list`: a table of profiles.
struct ProfilesListCommand: Command {
    let name = "profiles list"
    let summary = "list profiles: segment, events, activity, main region, top feature"
    let arguments = ""
    let options: [OptionSpec] = [
        OptionSpec("--segment", value: "ID", help: "only users of this segment"),
        OptionSpec("--limit", value: "N", help: "at most N rows (default 50; 0 for all)"),
        CommonOptions.store, CommonOptions.config,
    ]
    let discussion = ""
    let examples = ["prescient profiles list --limit 20", "prescient profiles list --segment 3 --limit 0"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let config = try CommonOptions.loadConfig(args, context)
        let limit = try args.int("--limit", default: 50, range: 0...Int.max)
        let segment = try args.value("--segment").map { (s) throws(UsageError) -> Int32 in
            guard let v = Int32(s) else { throw UsageError("--segment: '\(s)' is not a segment id") }
            return v
        }
        let store = try CommonOptions.openExistingStore(args, context)
        let now = try store.newestEventTime() ?? Timestamp(milliseconds: 0)
        var rows: [[String]] = []
        var total = 0
        try store.forEachProfile { (p) throws(RuntimeError) in
            if let segment, p.segment != segment { return }
            total += 1
            guard limit == 0 || rows.count < limit else { return }
            rows.append([p.user, p.segment.map(String.init) ?? "-", String(p.events), p.lastSeen.rfc3339,
                         p.mainRegion ?? "-", p.features.max { $0.weight < $1.weight }?.name ?? "-",
                         Formatting.format1(ProfileText.minutesPerDay(p, now: now, halfLifeDays: config.profiles.halfLifeDays))])
        }
        context.console.out(TextTable.render(header: ["user", "segment", "events", "last seen", "region", "top feature", "min/day"], rows: rows,
                                             rightAligned: [2, 6]))
        if rows.count < total { context.console.out("… \(total - rows.count) more (--limit 0 lists all)\n") }
        return .success
    }
}

/// `prescient profiles export --format jsonl`: every profile as one JSON object per line.
struct ProfilesExportCommand: Command {
    let name = "profiles export"
    let summary = "export every profile as JSON Lines"
    let arguments = ""
    let options: [OptionSpec] = [
        OptionSpec("--format", value: "F", help: "jsonl (the only format)"),
        OptionSpec("--out", value: "FILE", help: "write to FILE instead of standard output"),
        CommonOptions.store,
    ]
    let discussion = "Fields: user, segment, first_seen, last_seen, events, rhythm (168 decayed active minutes, local hour of week from Monday 00:00), regions, devices, features, other_features, cost_per_active_minute, covariate minutes, prediction."
    let examples = ["prescient profiles export --format jsonl > profiles.jsonl"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        if let f = args.value("--format"), f != "jsonl" { throw UsageError("--format: '\(f)' is not supported (jsonl)") }
        let store = try CommonOptions.openExistingStore(args, context)
        let writer = try args.value("--out").map { path throws(RuntimeError) in try AtomicFileWriter(path: path) }
        var buffer: [UInt8] = []
        try store.forEachProfile { (p) throws(RuntimeError) in
            ProfileJSON.append(p, to: &buffer)
            if buffer.count > 1 << 20 {
                if let writer { try writer.write(buffer) } else { context.console.out(String(decoding: buffer, as: UTF8.self)) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if let writer { try writer.write(buffer); try writer.commit() } else { context.console.out(String(decoding: buffer, as: UTF8.self)) }
        return .success
    }
}
