import Foundation
import PrescientCLI
import PrescientRuntime

// Wiring only: the real console and environment in, the exit status out.
let status = Prescient.run(Array(CommandLine.arguments.dropFirst()),
                           context: CommandContext(console: StandardConsole(),
                                                   environment: ProcessInfo.processInfo.environment))
exit(status)
