import PrescientCore
import PrescientRuntime

/// Exit statuses (BSD sysexits where one fits).
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// The command was used wrongly (EX_USAGE).
    case usage = 64
    /// The input data was bad (EX_DATAERR); also a configuration file with mistakes.
    case dataError = 65
    /// An input file does not exist or cannot be read (EX_NOINPUT).
    case noInput = 66
    /// An internal error (EX_SOFTWARE).
    case software = 70
    /// An output file could not be written (EX_IOERR).
    case ioError = 74
}

/// What a command may touch: the console and the environment. Nothing else is global.
public struct CommandContext: Sendable {
    public var console: any Console
    public var environment: [String: String]

    public init(console: any Console, environment: [String: String] = [:]) {
        self.console = console; self.environment = environment
    }
}

/// One `prescient` subcommand.
public protocol Command: Sendable {
    /// The words that select it (`config check`).
    var name: String { get }
    var summary: String { get }
    /// Positional arguments as shown in the usage line (`FILE...`).
    var arguments: String { get }
    var options: [OptionSpec] { get }
    var discussion: String { get }
    var examples: [String] { get }
    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode
}

extension Command {
    public var usageLine: String {
        "usage: prescient \(name)\(options.isEmpty ? "" : " [options]")\(arguments.isEmpty ? "" : " \(arguments)")"
    }

    public var help: String {
        var s = "\(usageLine)\n\n\(summary)\n"
        if !discussion.isEmpty { s += "\n\(discussion)\n" }
        if !options.isEmpty {
            s += "\nOptions:\n"
            let width = min(30, options.map { $0.name.count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0)
            for o in options {
                let left = o.name + (o.value.map { " " + $0 } ?? "")
                s += "  " + left.padding(to: width) + "  " + o.help + "\n"
            }
            s += "  " + "-h, --help".padding(to: width) + "  show this help\n"
        }
        if !examples.isEmpty {
            s += "\nExamples:\n" + examples.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return s
    }
}

extension String {
    func padding(to n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
