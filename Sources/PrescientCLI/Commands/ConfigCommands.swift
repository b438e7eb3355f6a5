import PrescientCore
import PrescientRuntime
import PrescientYAML

/// `prescient config check FILE`: validates a configuration and names the line and key of every mistake.
struct ConfigCheckCommand: Command {
    let name = "config check"
    let summary = "validate a configuration file; list every mistake with its line and key"
    let arguments = "FILE"
    let options: [OptionSpec] = []
    let discussion = "Exit 0 when the file is valid, 65 when it has mistakes (all are listed), 66 when it cannot be read."
    let examples = ["prescient config check prescient.yaml", "prescient config show > prescient.yaml && prescient config check prescient.yaml"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        guard args.positionals.count == 1 else { throw UsageError(args.positionals.isEmpty ? "no FILE given" : "one FILE at a time") }
        let path = args.positionals[0]
        if path != "-" && !FileAccess.isReadable(path) {
            context.console.err("\(path): cannot read the file\n")
            return .noInput
        }
        let config = try ConfigLoader.load(path: path)
        context.console.out("\(path): OK — \(config.regions.count) regions (\(config.regionNames.joined(separator: ", "))), \(config.features.count) features, \(config.instanceTypes.count) instance types\n")
        return .success
    }
}

/// `prescient config show [FILE]`: prints the effective configuration (defaults filled in) as YAML.
struct ConfigShowCommand: Command {
    let name = "config show"
    let summary = "print the effective configuration as YAML (the defaults when no file is given)"
    let arguments = "[FILE]"
    let options: [OptionSpec] = []
    let discussion = "The output is a valid configuration file: a starting point for your own."
    let examples = ["prescient config show > prescient.yaml", "prescient config show prescient.yaml"]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        guard args.positionals.count <= 1 else { throw UsageError("at most one FILE") }
        let config = try ConfigLoader.load(path: args.positionals.first)
        context.console.out(ConfigWriter.yaml(config))
        return .success
    }
}
