import PrescientCore
import PrescientRuntime

/// `prescient demo`: the whole loop on a synthetic multi-region population, with no arguments
/// needed — generate, ingest into SQLite, profiles and segments, forecast, and every scaling
/// policy replayed on the simulated cloud — each step through the same command a user would run.
struct DemoCommand: Command {
    let name = "demo"
    let summary = "the whole loop on a synthetic population: profiles, segments, forecast, scaling policies compared"
    let arguments = ""
    let options: [OptionSpec] = [
        OptionSpec("--users", value: "N", help: "population size (default 50000)"),
        OptionSpec("--days", value: "N", help: "days of activity (default 28)"),
        OptionSpec("--out", value: "DIR", help: "where everything goes (default prescient-demo)"),
        CommonOptions.seed,
    ]
    let discussion = """
    Runs, in DIR: generate (users, events, covariates, ground truth) → ingest with covariates into
    DIR/prescient.db → segments → forecast --store --covariates (DIR/forecast.csv) → simulate --events
    with every policy (DIR/report/report.html). Each step prints what the command itself prints.
    """
    let examples = ["prescient demo", "prescient demo --users 100000 --days 35 --out /tmp/demo"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let users = try args.int("--users", default: 50_000, range: 100...10_000_000)
        let days = try args.int("--days", default: 28, range: 2...365)
        let seed = try CommonOptions.seed(args)
        let dir = args.value("--out") ?? "prescient-demo"
        try FileAccess.makeDirectory(dir)
        let store = "sqlite:\(dir)/prescient.db"
        for f in ["prescient.db", "prescient.db-wal", "prescient.db-shm"] { FileAccess.remove(dir + "/" + f) }
        let started = monotonicSeconds()
        let steps: [(String, [String])] = [
            ("a synthetic population: \(users) users, \(days) days, 4 regions", ["generate", "--users", "\(users)", "--days", "\(days)", "--seed", "\(seed)", "--out", dir + "/pop"]),
            ("ingest it into user profiles (SQLite), with weather and matches as covariates", ["ingest", dir + "/pop/events.jsonl", "--covariates", dir + "/pop/covariates.csv", "--store", store]),
            ("segments: users with alike behaviour", ["segments", "--store", store, "--json", dir + "/segments.json"]),
            ("forecast every region × resource bottom-up from the profiles (next 24 h)", ["forecast", "--store", store, "--covariates", dir + "/pop/covariates.csv", "--horizon", "24", "--by-segment", "--out", dir + "/forecast.csv"]),
            ("replay the month through every scaling policy on the simulated cloud", ["simulate", "--events", dir + "/pop/events.jsonl", "--segments-from", store, "--policy", "all", "--report", dir + "/report"]),
        ]
        for (title, command) in steps {
            context.console.out("\n== \(title)\n$ prescient \(command.joined(separator: " "))\n")
            let status = Prescient.run(command, context: context)
            guard status == 0 else {
                context.console.err("demo: 'prescient \(command[0])' failed (exit \(status))\n")
                return ExitCode(rawValue: status) ?? .software
            }
        }
        context.console.out("\ndemo: done in \(Formatting.seconds(monotonicSeconds() - started)); report: \(dir)/report/report.html (and report.json); profiles: \(dir)/prescient.db\n")
        return .success
    }
}
