import Foundation
import PrescientCLI
import PrescientRuntime

// Wiring only: huge pages for the heap (see HugePages), the real console and environment in, the
// exit status out.
HugePages.reexecWithHugePagesIfNeeded()
let status = Prescient.run(Array(CommandLine.arguments.dropFirst()),
                           context: CommandContext(console: StandardConsole(),
                                                   environment: ProcessInfo.processInfo.environment))
exit(status)
