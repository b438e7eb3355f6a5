import Foundation
import PrescientRuntime

/// End to end: `prescient ingest` of a generated JSON Lines file into a fresh SQLite store, against
/// the same command validating only (`--store none`) in the same run. Release binaries, child processes.
enum IngestBenchmark {
    static func run(users: Int, days: Int) {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("prescient").path
        let dir = NSTemporaryDirectory() + "prescient-bench-ingest-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = runChild(bin, ["generate", "--users", String(users), "--days", String(days), "--seed", "1", "--out", dir + "/pop"])
        let events = (try? String(contentsOfFile: dir + "/pop/manifest.json", encoding: .utf8))
            .flatMap { $0.split(separator: "\n").first { $0.contains("\"events\"") } }
            .flatMap { Int($0.filter(\.isNumber)) } ?? 0
        let parseOnly = runChild(bin, ["ingest", dir + "/pop/events.jsonl", "--store", "none"])
        let store = runChild(bin, ["ingest", dir + "/pop/events.jsonl", "--covariates", dir + "/pop/covariates.csv", "--store", "sqlite:\(dir)/p.db"])
        let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/p.db")[.size] as? Int) ?? 0
        print("ingest: \(events) events (\(users) users × \(days) days) from JSON Lines")
        print("  into SQLite profiles  \(Formatting.rate(Double(events) / store)) events/s  (\(Formatting.seconds(store)); store \(Formatting.bytes(size)))")
        print("  anchor: validate only \(Formatting.rate(Double(events) / parseOnly)) events/s  (the store costs \(Formatting.format2(store / parseOnly))× parsing)")
        print("  target ≥ 300k events/s end to end: \(Double(events) / store >= 300_000 ? "met" : "NOT met")")
    }

    /// Runs a child to completion; returns its wall time in seconds.
    static func runChild(_ bin: String, _ args: [String]) -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let t0 = monotonicSeconds()
        do { try p.run() } catch { print("cannot run \(bin): \(error)"); return .nan }
        p.waitUntilExit()
        return monotonicSeconds() - t0
    }
}
