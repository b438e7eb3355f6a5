import PrescientCore
import PrescientRuntime

/// The `prescient` command: finds the subcommand, parses its options, runs it, maps errors to
/// exit codes. Usage mistakes print what was wrong and the usage (exit 64).
public enum Prescient {
    public static let version = "0.1.0"

    public static let commands: [any Command] = [
        GenerateCommand(), IngestCommand(), ProfilesShowCommand(), ProfilesListCommand(), ProfilesExportCommand(),
        SegmentsCommand(), ForecastCommand(), BacktestCommand(), SimulateCommand(), DemoCommand(), ServeCommand(), ConfigCheckCommand(), ConfigShowCommand(),
    ]

    public static var overview: String {
        var s = """
        prescient \(version) — predictive scaling from per-user behaviour profiles

        usage: prescient <command> [options]

        Commands:

        """
        for c in commands { s += "  " + c.name.padding(to: 14) + "  " + c.summary + "\n" }
        s += """

        Run 'prescient <command> --help' for a command's options and examples.
        Exit status: 0 success, 64 usage error, 65 bad input data or configuration,
        66 input missing, 74 output not writable, 70 internal error.

        """
        return s
    }

    /// Runs `arguments` (without the program name) and returns the exit status.
    public static func run(_ arguments: [String], context: CommandContext) -> Int32 {
        let console = context.console
        guard let first = arguments.first else {
            console.err(overview)
            return ExitCode.usage.rawValue
        }
        if first == "-h" || first == "--help" || first == "help" {
            if arguments.count > 1, let c = find(Array(arguments.dropFirst())) { console.out(c.command.help) }
            else { console.out(overview) }
            return ExitCode.success.rawValue
        }
        if first == "--version" || first == "version" {
            console.out("prescient \(version)\n")
            return ExitCode.success.rawValue
        }
        let group = commands.filter { $0.name.hasPrefix(first + " ") }
        if !group.isEmpty && find(arguments) == nil {
            let list = group.map { "  " + $0.name.padding(to: 14) + "  " + $0.summary }.joined(separator: "\n")
            let what = arguments.count > 1 ? "unknown subcommand '\(arguments[1])'" : "a subcommand is required"
            console.err("prescient \(first): \(what)\n\nusage: prescient \(first) <subcommand> [options]\n\(list)\n")
            return ExitCode.usage.rawValue
        }
        guard let (command, consumed) = find(arguments) else {
            let names = commands.map(\.name)
            let hint = ArgumentParser.closest(arguments.prefix(2).joined(separator: " "), names)
                ?? ArgumentParser.closest(first, names)
            console.err("prescient: unknown command '\(arguments.prefix(2).joined(separator: " "))'\(hint.map { " (did you mean '\($0)'?)" } ?? "")\n\n\(overview)")
            return ExitCode.usage.rawValue
        }
        let rest = Array(arguments.dropFirst(consumed))
        do {
            let parsed = try ArgumentParser.parse(rest, options: command.options)
            if parsed.helpRequested {
                console.out(command.help)
                return ExitCode.success.rawValue
            }
            return try command.run(parsed, context).rawValue
        } catch let e as UsageError {
            console.err("prescient \(command.name): \(e.message)\n\n\(command.help)")
            return ExitCode.usage.rawValue
        } catch let e as RuntimeError {
            console.err("prescient \(command.name): \(e.message)\n")
            switch e.kind {
            case .badInput: return ExitCode.dataError.rawValue
            case .configuration: return ExitCode.usage.rawValue
            case .io: return e.message.contains("cannot open") ? ExitCode.noInput.rawValue : ExitCode.ioError.rawValue
            case .invariant: return ExitCode.software.rawValue
            }
        } catch let e as ConfigErrors {
            console.err(e.description + "\n")
            return ExitCode.dataError.rawValue
        } catch {
            console.err("prescient \(command.name): \(error)\n")
            return ExitCode.software.rawValue
        }
    }

    /// The command named by the first one or two words.
    static func find(_ args: [String]) -> (command: any Command, consumed: Int)? {
        if args.count >= 2, let c = commands.first(where: { $0.name == "\(args[0]) \(args[1])" }) { return (c, 2) }
        if let c = commands.first(where: { $0.name == args[0] }) { return (c, 1) }
        return nil
    }
}
