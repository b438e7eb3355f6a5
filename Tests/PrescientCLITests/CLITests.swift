import Foundation
import PrescientCLI
import PrescientTestKit
import Testing

/// Runs `prescient ARGS` in-process; returns the exit status and what it printed. Unless the
/// environment names one, each call gets a fresh data directory (so stores never leak between tests).
func prescient(_ args: String..., terminal: Bool = false, environment: [String: String] = [:]) -> (status: Int32, out: String, err: String) {
    prescient(args, terminal: terminal, environment: environment)
}

func prescient(_ args: [String], terminal: Bool = false, environment: [String: String] = [:]) -> (status: Int32, out: String, err: String) {
    let console = RecordingConsole(errIsTerminal: terminal)
    var env = environment
    if env["PRESCIENT_DATA_DIR"] == nil { env["PRESCIENT_DATA_DIR"] = TestFiles.scratchDirectory("data") }
    let status = Prescient.run(args, context: CommandContext(console: console, environment: env))
    return (status, console.stdout, console.stderr)
}

@Suite struct CLIUsageTests {
    @Test func noArgumentsPrintsTheOverviewAndExits64() {
        let r = prescient()
        #expect(r.status == 64 && r.err.contains("usage: prescient <command>") && r.err.contains("generate"))
    }

    @Test(arguments: ["generate", "ingest", "profiles show", "profiles list", "profiles export", "segments", "forecast", "backtest", "simulate", "demo", "config check", "config show"])
    func everyCommandHasHelpWithExamples(_ name: String) {
        let r = prescient(name.split(separator: " ").map(String.init) + ["--help"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("usage: prescient \(name)"))
        #expect(r.out.contains("Examples:\n  prescient \(name.split(separator: " ")[0])"))
    }

    @Test(arguments: [
        (["frobnicate"], "prescient: unknown command 'frobnicate'"),
        (["ingset", "x"], "(did you mean 'ingest'?)"),
        (["ingest"], "prescient ingest: no input FILE given\n\nusage: prescient ingest [options] FILE..."),
        (["ingest", "--strcit", "x"], "prescient ingest: unknown option '--strcit' (did you mean --strict?)"),
        (["ingest", "x", "--format", "xml"], "prescient ingest: --format: 'xml' is not one of jsonl, csv, tsv, clf"),
        (["ingest", "x", "--map", "usr=host"], "prescient ingest: unknown field 'usr'"),
        (["ingest", "x", "--delimiter", "ab"], "prescient ingest: --delimiter: 'ab' is not a single character (or 'tab')"),
        (["ingest", "x", "--tz", "Mars/Olympus"], "prescient ingest: --tz: unknown time zone 'Mars/Olympus'"),
        (["generate", "--users", "ten", "--out", "/tmp/x"], "prescient generate: --users: 'ten' is not a whole number"),
        (["generate", "--users", "0", "--out", "/tmp/x"], "prescient generate: --users: 0 is out of range 1…50000000"),
        (["generate"], "prescient generate: --out is required"),
        (["generate", "--out", "/tmp/x", "--regions", "us-east,moon"], "prescient generate: --regions: unknown region 'moon'"),
        (["generate", "--out", "/tmp/x", "--seed", "-1"], "prescient generate: --seed: '-1' is not a whole number ≥ 0"),
        (["config"], "prescient config: a subcommand is required"),
        (["config", "chek"], "prescient config: unknown subcommand 'chek'"),
        (["generate", "--users", "5", "--users", "6", "--out", "/tmp/x"], "prescient generate: --users given twice"),
    ])
    func usageMistakesExit64WithAReason(_ args: [String], _ message: String) {
        let r = prescient(args)
        #expect(r.status == 64)
        #expect(r.err.contains(message), "stderr: \(r.err.prefix(300))")
    }

    @Test func versionAndHelpExitZero() {
        #expect(prescient("--version").out == "prescient \(Prescient.version)\n")
        #expect(prescient("help").status == 0)
        #expect(prescient("help", "ingest").out.hasPrefix("usage: prescient ingest"))
    }
}

@Suite struct CLIConfigTests {
    @Test func checkAcceptsAValidFileAndTheShownDefaults() {
        let shown = prescient("config", "show")
        #expect(shown.status == 0)
        let path = TestFiles.write(shown.out, name: "prescient.yaml")
        let r = prescient("config", "check", path)
        #expect(r.status == 0)
        #expect(r.out == "\(path): OK — 4 regions (us-east, eu-west, ap-northeast, ap-southeast), 8 features, 4 instance types\n")
    }

    @Test func checkListsEveryMistakeAndExits65() {
        let path = TestFiles.write("regions:\n  - name: a\n    time_zone: Nowhere/City\nscaling:\n  max_step: -2\n", name: "bad.yaml")
        let r = prescient("config", "check", path)
        #expect(r.status == 65)
        #expect(r.err == """
        \(path):3: regions[0].time_zone: unknown time zone 'Nowhere/City' (use an IANA name such as Europe/London)
        \(path):5: scaling.max_step: -2 is out of range 1…100000

        """)
    }

    @Test func missingFileExits66() {
        #expect(prescient("config", "check", "/nonexistent.yaml").status == 66)
    }

    @Test func configComesFromTheEnvironmentToo() {
        let path = TestFiles.write("regions:\n  - {name: solo, time_zone: UTC}\n", name: "solo.yaml")
        let events = TestFiles.write(#"{"ts":1772409600,"user":"a","region":"solo","feature":"x"}"# + "\n", name: "e.jsonl")
        #expect(prescient("ingest", events, environment: ["PRESCIENT_CONFIG": path]).status == 0)
        #expect(prescient("ingest", events).status == 65)
    }
}
