import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSim

// Benchmarks, built in release mode (scripts/bench.sh). Each prints its figure next to a baseline
// measured in the same run, because ratios survive a noisy machine better than absolute times.

HugePages.reexecWithHugePagesIfNeeded() // as the product runs (see HugePages)
let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
let known = ["parse", "generate", "profiles", "ingest", "segment-quality", "forecast-check", "forecast-data", "forecast-speed", "lstm", "scenario", "replay", "serve-load", "actuation", "all"]
guard known.contains(which) else {
    FileHandle.standardError.write("usage: prescient-bench [\(known.joined(separator: "|"))] [--events N] [--users N]\n".data(using: .utf8)!)
    exit(64)
}

func option(_ name: String, _ d: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return d }
    return v
}

if which == "serve-load" {
    func text(_ name: String) -> String? { arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
    var o = ServeLoad.Options()
    o.port = UInt16(option("--port", 8080)); o.token = text("--token") ?? ProcessInfo.processInfo.environment["PRESCIENT_TOKEN"] ?? ""
    o.seconds = option("--seconds", 30); o.connections = option("--connections", 3); o.batch = option("--batch", 1000)
    o.users = option("--users", 100_000); o.routeEveryMs = option("--route-every-ms", 5); o.pid = Int32(option("--pid", 0))
    o.reportEvery = option("--report-every", 10)
    ServeLoad.run(o)
    exit(0)
}

// Child-process benchmarks first: on Linux a child's peak RSS (ru_maxrss) includes what the
// parent held when it was spawned, so they run before this process fills its memory.
if which == "generate" || which == "all" { GenerateBenchmark.run(users: option("--users", 1_000_000), days: 7) }
if which == "ingest" || which == "all" { IngestBenchmark.run(users: option("--users", 100_000), days: option("--days", 7)) }
if which == "parse" || which == "all" { ParseBenchmark.run(events: option("--events", 1_000_000)) }
if which == "profiles" || which == "all" {
    // The update rate depends on how many profiles compete for the cache: a typical service
    // population (100k) and the 1M the memory and segmentation targets are stated for.
    if arguments.contains("--users") {
        ProfileBenchmark.run(users: option("--users", 100_000), days: option("--days", 7), segment: true)
    } else {
        ProfileBenchmark.run(users: 100_000, days: 7, segment: false)
        ProfileBenchmark.run(users: 1_000_000, days: 3, segment: true)
    }
}
let sharedData = ProcessInfo.processInfo.environment["PRESCIENT_DATA"] ?? (FileManager.default.fileExists(atPath: "../shared/data") ? "../shared/data" : "/work/shared/data")
if which == "forecast-check" {
    let anchors = arguments.firstIndex(of: "--anchors").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    ForecastCheck.run(data: sharedData, anchors: anchors, calendarDir: "examples/calendars")
}
if which == "forecast-speed" || which == "all" { ForecastSpeed.run(data: sharedData, count: option("--series", 2000), export: arguments.firstIndex(of: "--export").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }) }
if which == "lstm" || which == "all" { LSTMBenchmark.run(users: option("--users", 100_000), days: option("--days", 28)) }
if which == "scenario" || which == "all" {
    ScenarioBenchmark.run(users: option("--users", 50_000), export: arguments.firstIndex(of: "--export").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil },
                          anchors: arguments.firstIndex(of: "--anchors").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil },
                          verbose: arguments.contains("--hourly"))
}
if which == "actuation" || which == "all" { ActuationBenchmark.run(users: option("--users", 1_000_000)) }
if which == "replay" || which == "all" { ReplayBenchmark.run(users: option("--users", 20_000), days: option("--days", 28)) }
if which == "forecast-data" {
    let dir = arguments.firstIndex(of: "--out").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? ".build/forecast-bench"
    do { for p in try ForecastDataSets.export(ForecastDataSets.all(data: sharedData), to: dir) { print(p) } }
    catch { FileHandle.standardError.write("forecast-data: \(error)\n".data(using: .utf8)!); exit(1) }
}
if which == "segment-quality" {
    func value(_ name: String) -> String? { arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
    do {
        try SegmentExperiment.run(store: value("--store") ?? "", users: value("--truth") ?? "", k: value("--k").flatMap(Int.init))
    } catch {
        FileHandle.standardError.write("segment-quality: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}
