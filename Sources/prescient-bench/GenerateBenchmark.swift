import Foundation
import PrescientRuntime

/// `prescient generate --users N --days 7` run as a child process (release binary next to this
/// one), timed end to end; the anchor is the one-minute budget for 1M users × 7 days.
enum GenerateBenchmark {
    static func run(users: Int, days: Int) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("prescient").path
        let dir = NSTemporaryDirectory() + "prescient-bench-generate-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["generate", "--users", String(users), "--days", String(days), "--seed", "1", "--out", dir]
        let errPipe = Pipe()
        p.standardError = errPipe
        let t0 = monotonicSeconds()
        do { try p.run() } catch { print("generate: cannot run \(binary): \(error)"); return }
        let output = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let seconds = monotonicSeconds() - t0
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let peak = Int(usage.ru_maxrss) * 1024
        print("generate: \(users) users × \(days) days")
        print("  " + (String(data: output, encoding: .utf8) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        print("  wall \(Formatting.seconds(seconds)), \(Formatting.rate(Double(users) / seconds)) users/s, peak RSS \(Formatting.bytes(peak)) (child)")
        print("  budget 60 s for 1M users × 7 days: \(Formatting.format2(seconds / 60 * 1_000_000 / Double(users) * 7 / Double(days))) of budget (scaled)")
    }
}
